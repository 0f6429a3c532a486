using System.Collections.Concurrent;
using TrailSieve.Core.Layout;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Walks CloudTrail's key layout down to day folders, listing one level at a time with a delimiter: the accounts
/// (through an organisation folder when there is one), then every account's regions, then each region's years,
/// months and days, pruned by the settings' accounts, regions and date range (and the prefix, at any depth) at every
/// level. The accounts' regions and the regions' dates are listed in parallel (<see cref="BackfillSettings.ListParallelism"/>),
/// so a bucket with a hundred accounts is neither one flat listing of millions of keys nor thousands of listings in
/// a row. The result is a plan by day, which the backfill walks day-major.
/// </summary>
internal sealed class PartitionDiscovery(IObjectLister lister, BackfillSettings settings)
{
    private readonly LayoutPosition _position = CloudTrailLayout.Locate(settings.Prefix);

    /// <summary>Finds every region in scope, then the days each of them has in range.</summary>
    public async Task<PartitionPlan> DiscoverAsync(CancellationToken cancellationToken)
    {
        var regions = await FindRegionsAsync(cancellationToken).ConfigureAwait(false);
        var days = new SortedDictionary<DateOnly, IReadOnlyList<int>>();
        var (from, to) = Range(settings, _position);
        if (from is { } first && to is { } end)
        {
            // A closed range needs no date listing: its day folders are known, the same for every region.
            IReadOnlyList<int> all = [.. Enumerable.Range(0, regions.Count)];
            if (all.Count > 0)
            {
                foreach (var day in CloudTrailLayout.Days(first, end))
                {
                    days[day] = all;
                }
            }

            return new PartitionPlan(regions, days);
        }

        var found = new List<DateOnly>[regions.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, regions.Count),
            Parallelism(cancellationToken),
            async (i, ct) => found[i] = await ListDaysAsync(regions[i].Prefix, from, to, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var byDay = new SortedDictionary<DateOnly, List<int>>();
        for (var i = 0; i < found.Length; i++)
        {
            foreach (var day in found[i])
            {
                if (!byDay.TryGetValue(day, out var list))
                {
                    byDay[day] = list = [];
                }

                list.Add(i);
            }
        }

        foreach (var (day, list) in byDay)
        {
            days[day] = list;
        }

        return new PartitionPlan(regions, days);
    }

    /// <summary>
    /// <c>--from</c>/<c>--to</c> intersected with the days a year, month or day prefix covers, so a prefix at any depth
    /// narrows the walk and combines with the range.
    /// </summary>
    public static (DateOnly? From, DateOnly? To) Range(BackfillSettings settings, LayoutPosition position)
    {
        return (Later(settings.From, position.From), Earlier(settings.To, position.To));

        static DateOnly? Later(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a > b ? a : b);
        static DateOnly? Earlier(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a < b ? a : b);
    }

    /// <summary>Every region in scope, ordered by account and region.</summary>
    private async Task<List<TrailRegion>> FindRegionsAsync(CancellationToken cancellationToken)
    {
        if (_position.Level >= LayoutLevel.Region)
        {
            return Allowed(_position.Account!, _position.Region!) ? [new TrailRegion(_position.Account!, _position.Region!, _position.RegionPrefix!)] : [];
        }

        var accounts = new List<(string Account, string Prefix)>();
        if (_position.Level == LayoutLevel.Account)
        {
            accounts.Add((_position.Account!, _position.AccountPrefix!));
        }
        else
        {
            await FindAccountsAsync(_position.Prefix, accounts, cancellationToken).ConfigureAwait(false);
        }

        var regions = new ConcurrentBag<TrailRegion>();
        await Parallel.ForEachAsync(
            accounts.Where(a => settings.Accounts.Count == 0 || settings.Accounts.Contains(a.Account)),
            Parallelism(cancellationToken),
            async (account, ct) =>
            {
                foreach (var region in await ListRegionsAsync(account.Prefix, ct).ConfigureAwait(false))
                {
                    regions.Add(new TrailRegion(account.Account, region, CloudTrailLayout.RegionPrefix(account.Prefix, region)));
                }
            }).ConfigureAwait(false);
        return [.. regions.OrderBy(r => r.Account, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal)];
    }

    private bool Allowed(string account, string region) =>
        (settings.Accounts.Count == 0 || settings.Accounts.Contains(account)) && (settings.Regions.Count == 0 || settings.Regions.Contains(region));

    // Accounts sit right under AWSLogs/ or under an organisation folder; a trail prefix above AWSLogs/ is walked
    // through AWSLogs/ only, so unrelated folders in a shared bucket are never listed.
    private async Task FindAccountsAsync(string prefix, List<(string Account, string Prefix)> accounts, CancellationToken cancellationToken)
    {
        var here = CloudTrailLayout.LastSegment(prefix);
        var holdsAccounts = here == "AWSLogs" || CloudTrailLayout.IsOrganizationId(here);
        await foreach (var folder in lister.ListFoldersAsync(settings.Bucket, prefix, cancellationToken).ConfigureAwait(false))
        {
            var name = CloudTrailLayout.LastSegment(folder);
            if (holdsAccounts && CloudTrailLayout.IsAccountId(name))
            {
                accounts.Add((name, folder));
            }
            else if (name == "AWSLogs" || (holdsAccounts && CloudTrailLayout.IsOrganizationId(name)))
            {
                await FindAccountsAsync(folder, accounts, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The regions asked for (no listing), or the account's region folders.</summary>
    private async Task<List<string>> ListRegionsAsync(string accountPrefix, CancellationToken cancellationToken)
    {
        if (settings.Regions.Count > 0)
        {
            return [.. settings.Regions];
        }

        var regions = new List<string>();
        await foreach (var folder in lister.ListFoldersAsync(settings.Bucket, CloudTrailLayout.RegionsPrefix(accountPrefix), cancellationToken).ConfigureAwait(false))
        {
            var name = CloudTrailLayout.LastSegment(folder);
            if (CloudTrailLayout.IsRegion(name))
            {
                regions.Add(name);
            }
        }

        return regions;
    }

    /// <summary>The day folders of one region within an open range, from its year, month and day listings.</summary>
    private async Task<List<DateOnly>> ListDaysAsync(string regionPrefix, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var days = new List<DateOnly>();
        var earliest = from ?? DateOnly.MinValue;
        var last = to?.AddDays(-1) ?? DateOnly.MaxValue;
        await foreach (var yearFolder in lister.ListFoldersAsync(settings.Bucket, regionPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!CloudTrailLayout.TryParseDatePart(CloudTrailLayout.LastSegment(yearFolder), 4, 2013, 9999, out var year) || year < earliest.Year || year > last.Year)
            {
                continue;
            }

            await foreach (var monthFolder in lister.ListFoldersAsync(settings.Bucket, yearFolder, cancellationToken).ConfigureAwait(false))
            {
                if (!CloudTrailLayout.TryParseDatePart(CloudTrailLayout.LastSegment(monthFolder), 2, 1, 12, out var month)
                    || new DateOnly(year, month, DateTime.DaysInMonth(year, month)) < earliest
                    || new DateOnly(year, month, 1) > last)
                {
                    continue;
                }

                await foreach (var dayFolder in lister.ListFoldersAsync(settings.Bucket, monthFolder, cancellationToken).ConfigureAwait(false))
                {
                    if (CloudTrailLayout.TryParseDatePart(CloudTrailLayout.LastSegment(dayFolder), 2, 1, DateTime.DaysInMonth(year, month), out var dayOfMonth)
                        && new DateOnly(year, month, dayOfMonth) is var day
                        && day >= earliest && day <= last)
                    {
                        days.Add(day);
                    }
                }
            }
        }

        return days;
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = settings.ListParallelism, CancellationToken = cancellationToken };
}
