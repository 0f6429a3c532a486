namespace TrailSieve.Core.Batching;

/// <summary>
/// The batch-mode output partition of a record: account, region and UTC day of its eventTime, and, for OCSF output,
/// the OCSF class it maps to (0 for CloudTrail output), since each OCSF object holds one class.
/// </summary>
public readonly record struct PartitionKey(string Account, string Region, DateOnly Day, int EventClass = 0)
{
    /// <summary>The single partition of mirror mode, where the input object decides the output.</summary>
    public static PartitionKey None { get; } = new(string.Empty, string.Empty, default);
}
