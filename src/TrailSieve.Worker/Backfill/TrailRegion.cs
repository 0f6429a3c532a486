using TrailSieve.Core.Layout;

namespace TrailSieve.Worker.Backfill;

/// <summary>One region of one account in the trail: <c>.../&lt;account&gt;/CloudTrail/&lt;region&gt;/</c>.</summary>
internal sealed record TrailRegion(string Account, string Region, string Prefix)
{
    /// <summary>Its partition of one day.</summary>
    public TrailPartition Day(DateOnly day) => new(Account, Region, day, CloudTrailLayout.DayPrefix(Prefix, day));
}
