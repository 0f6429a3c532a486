namespace TrailSieve.Analytics.Compaction;

/// <summary>What happened to one partition.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Sources">Source JSON objects read.</param>
/// <param name="SourceBytes">Their size.</param>
/// <param name="PreviousFiles">The partition's earlier compacted files, merged in and replaced.</param>
/// <param name="SourceRecords">Records read: the sources' and the earlier Parquet's.</param>
/// <param name="WrittenRecords">Records in the new Parquet (duplicates by identity removed: every record column equal, not eventID alone), read back from the files.</param>
/// <param name="Files">Parquet files written.</param>
/// <param name="WrittenBytes">Their size.</param>
/// <param name="Error">Why the partition failed (its sources are kept), or null.</param>
public sealed record PartitionResult(
    DayPartition Partition,
    int Sources,
    long SourceBytes,
    int PreviousFiles,
    long SourceRecords,
    long WrittenRecords,
    int Files,
    long WrittenBytes,
    string? Error)
{
    public bool Failed => Error is not null;
}
