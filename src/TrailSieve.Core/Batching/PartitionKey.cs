namespace TrailSieve.Core.Batching;

/// <summary>The batch-mode output partition of a record: account, region and UTC day of its eventTime.</summary>
public readonly record struct PartitionKey(string Account, string Region, DateOnly Day)
{
    /// <summary>The single partition of mirror mode, where the input object decides the output.</summary>
    public static PartitionKey None { get; } = new(string.Empty, string.Empty, default);
}
