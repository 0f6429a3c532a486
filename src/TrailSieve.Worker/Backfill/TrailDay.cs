using TrailSieve.Core.Layout;

namespace TrailSieve.Worker.Backfill;

/// <summary>Every partition of one day the backfill covers (one per account and region that has the day).</summary>
internal sealed record TrailDay(DateOnly Day, IReadOnlyList<TrailPartition> Partitions);
