using System.Globalization;

namespace TrailSieve.Analytics.Compaction;

/// <summary>The outcome of a compact run.</summary>
public sealed record CompactSummary(IReadOnlyList<PartitionResult> Partitions, int OutsideLayout, TimeSpan Elapsed)
{
    public int Failed => Partitions.Count(p => p.Failed);

    /// <summary>One line in the manner of <c>filter</c>'s summary.</summary>
    public override string ToString()
    {
        var ok = Partitions.Where(p => !p.Failed).ToList();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"partitions {Partitions.Count} (failed {Failed}), objects {Partitions.Sum(p => p.Sources)} ({Partitions.Sum(p => p.SourceBytes) / 1e6:F1} MB), records read {ok.Sum(p => p.SourceRecords)}, written {ok.Sum(p => p.WrittenRecords)}, parquet files {ok.Sum(p => p.Files)} ({ok.Sum(p => p.WrittenBytes) / 1e6:F1} MB), outside a partition layout {OutsideLayout}, {Elapsed.TotalSeconds:F2} s");
    }
}
