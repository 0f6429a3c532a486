namespace TrailSieve.Analytics.Compaction;

/// <summary>What <see cref="Compactor"/> merges and how.</summary>
public sealed record CompactOptions
{
    /// <summary>First day compacted (inclusive); null for no lower bound.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day compacted (inclusive); null for no upper bound.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Accounts compacted; empty for all.</summary>
    public IReadOnlySet<string> Accounts { get; init; } = new HashSet<string>();

    /// <summary>Target size of one Parquet file. Default 256 MB.</summary>
    public long TargetFileBytes { get; init; } = 256L * 1000 * 1000;

    /// <summary>Delete the source objects of a partition once its Parquet is written and its record count verified.</summary>
    public bool DeleteSource { get; init; }

    /// <summary>Most bytes of S3 objects downloaded for one partition (its sources and earlier Parquet). Default 10 GB.</summary>
    public long SpoolLimitBytes { get; init; } = 10L * 1000 * 1000 * 1000;

    /// <summary>Local folder for downloaded S3 objects and the Parquet being written; one partition at a time.</summary>
    public string SpoolDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "trailsieve-compact");

    /// <summary>Includes a partition?</summary>
    public bool Includes(DayPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return (From is null || partition.Day >= From) && (To is null || partition.Day <= To)
            && (Accounts.Count == 0 || Accounts.Contains(partition.Account));
    }
}
