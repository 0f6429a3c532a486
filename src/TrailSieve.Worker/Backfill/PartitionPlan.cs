using TrailSieve.Core.Layout;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// What discovery found: the regions of the trail and, per day, which of them have it. Days come out in order, so a
/// backfill works day-major (every account and region of day D before day D+1). Partitions are made as the days are
/// read; only the regions and one index per region-day are kept.
/// </summary>
internal sealed class PartitionPlan
{
    private readonly IReadOnlyList<TrailRegion> _regions;
    private readonly SortedDictionary<DateOnly, IReadOnlyList<int>> _days;

    public PartitionPlan(IReadOnlyList<TrailRegion> regions, SortedDictionary<DateOnly, IReadOnlyList<int>> days)
    {
        _regions = regions;
        _days = days;
        PartitionCount = days.Values.Sum(d => (long)d.Count);
    }

    /// <summary>Region-days in the plan.</summary>
    public long PartitionCount { get; }

    public int RegionCount => _regions.Count;

    /// <summary>The days in ascending order, each with its partitions (ordered by account, then region).</summary>
    public IEnumerable<TrailDay> Days => _days.Select(day => new TrailDay(day.Key, [.. day.Value.Select(i => _regions[i].Day(day.Key))]));

    /// <summary>Every partition, day by day.</summary>
    public IEnumerable<TrailPartition> Partitions => Days.SelectMany(day => day.Partitions);
}
