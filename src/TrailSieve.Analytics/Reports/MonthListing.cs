using System.Globalization;
using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;
using TrailSieve.Core.Layout;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// Chooses the data objects of a month's report while listing the store: under a Hive <c>account=</c> folder only the
/// accounts asked for, and in each of their regions only the month's <c>year=/month=</c> folder (plus the next month's
/// first day), so a store holding years of data is not listed whole; elsewhere every key is listed and kept when its
/// key puts it in an asked-for account and the month, or in no partition at all (those are read for every account).
/// </summary>
/// <remarks>
/// The next month's first day is read too: compact places what it merges by the source key's day, and CloudTrail's own
/// keys are the delivery day, so the last minutes of a month can sit there. The eventtime condition drops the rest.
/// </remarks>
internal sealed class MonthListing
{
    private const string AccountFolder = "account=";
    private const string RegionFolder = "region=";

    private readonly IObjectStore _store;
    private readonly ReportMonth _month;
    private readonly IReadOnlySet<string> _accounts;
    private readonly IReadOnlyList<string> _excluded;
    private readonly DateOnly _first;
    private readonly DateOnly _last;

    private MonthListing(IObjectStore store, ReportMonth month, IReadOnlySet<string> accounts, IReadOnlyList<string> excluded)
    {
        _store = store;
        _month = month;
        _accounts = accounts;
        _excluded = excluded;
        _first = DateOnly.FromDateTime(month.Start);
        _last = DateOnly.FromDateTime(month.End);
    }

    /// <summary>Per account, its day partitions' objects; and the objects that are in no partition.</summary>
    public Dictionary<string, SortedDictionary<string, (DayPartition Partition, List<StoredObject> Objects)>> Placed { get; } = new(StringComparer.Ordinal);

    public List<StoredObject> Unplaced { get; } = [];

    /// <param name="store">The data.</param>
    /// <param name="month">The month.</param>
    /// <param name="accounts">The accounts asked for; empty for all.</param>
    /// <param name="excluded">Prefixes under the store that are not data (the findings, the reports), each ending with '/'.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public static async Task<MonthListing> ListAsync(
        IObjectStore store, ReportMonth month, IReadOnlySet<string> accounts, IReadOnlyList<string> excluded, CancellationToken cancellationToken)
    {
        var listing = new MonthListing(store, month, accounts, excluded);
        await listing.WalkAsync(string.Empty, cancellationToken).ConfigureAwait(false);
        return listing;
    }

    private async Task WalkAsync(string prefix, CancellationToken cancellationToken)
    {
        var level = await _store.ListLevelAsync(prefix, cancellationToken).ConfigureAwait(false);
        level.Objects.ToList().ForEach(Consider);
        foreach (var folder in level.Folders.Where(f => !IsExcluded(f)))
        {
            var name = CloudTrailLayout.LastSegment(folder);
            if (name.StartsWith(AccountFolder, StringComparison.Ordinal))
            {
                if (_accounts.Count == 0 || _accounts.Contains(name[AccountFolder.Length..]))
                {
                    await WalkAccountAsync(folder, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (_excluded.Any(e => e.StartsWith(folder, StringComparison.Ordinal)))
            {
                await WalkAsync(folder, cancellationToken).ConfigureAwait(false); // step around the excluded prefix inside
            }
            else
            {
                await ListAllAsync(folder, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WalkAccountAsync(string folder, CancellationToken cancellationToken)
    {
        var level = await _store.ListLevelAsync(folder, cancellationToken).ConfigureAwait(false);
        level.Objects.ToList().ForEach(Consider);
        var next = _month.Start.AddMonths(1);
        foreach (var region in level.Folders)
        {
            if (!CloudTrailLayout.LastSegment(region).StartsWith(RegionFolder, StringComparison.Ordinal))
            {
                await ListAllAsync(region, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await ListAllAsync(region + string.Create(CultureInfo.InvariantCulture, $"year={_month.Year:D4}/month={_month.Month:D2}/"), cancellationToken).ConfigureAwait(false);
            await ListAllAsync(region + string.Create(CultureInfo.InvariantCulture, $"year={next.Year:D4}/month={next.Month:D2}/day=01/"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ListAllAsync(string prefix, CancellationToken cancellationToken)
    {
        await foreach (var item in _store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            Consider(item);
        }
    }

    private void Consider(StoredObject item)
    {
        if (DataFiles.Kind(item.Key) == DataFileKind.Other || IsExcluded(item.Key))
        {
            return;
        }

        if (DayPartition.FromKey(item.Key) is not { } partition)
        {
            Unplaced.Add(item);
            return;
        }

        if (partition.Day < _first || partition.Day > _last || (_accounts.Count > 0 && !_accounts.Contains(partition.Account)))
        {
            return;
        }

        var partitions = Placed.TryGetValue(partition.Account, out var found) ? found : Placed[partition.Account] = new(StringComparer.Ordinal);
        var key = partition.ToString();
        if (!partitions.TryGetValue(key, out var entry))
        {
            partitions[key] = entry = (partition, []);
        }

        entry.Objects.Add(item);
    }

    private bool IsExcluded(string key) => _excluded.Any(e => key.StartsWith(e, StringComparison.Ordinal));
}
