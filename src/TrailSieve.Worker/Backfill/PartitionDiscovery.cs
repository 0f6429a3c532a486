using System.Runtime.CompilerServices;
using System.Threading.Channels;
using TrailSieve.Core.Layout;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Walks CloudTrail's key layout down to day folders, listing one level at a time with a delimiter: the accounts
/// (through an organisation folder when there is one), each account's regions, then years, months and days, pruned by
/// the settings' accounts, regions and date range at every level. Accounts and regions are walked in parallel, so a
/// bucket with a hundred accounts is not one long flat listing of millions of keys.
/// </summary>
internal sealed class PartitionDiscovery(IObjectLister lister, BackfillSettings settings)
{
    private readonly LayoutPosition _position = CloudTrailLayout.Locate(settings.Prefix);

    /// <summary>Every day partition in range, in no particular order.</summary>
    public async IAsyncEnumerable<TrailPartition> DiscoverAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = _position;
        var partitions = Channel.CreateBounded<TrailPartition>(new BoundedChannelOptions(1024) { SingleReader = true });
        var producer = ProduceAsync(position, partitions.Writer, cancellationToken);
        await foreach (var partition in partitions.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return partition;
        }

        await producer.ConfigureAwait(false);
    }

    private async Task ProduceAsync(LayoutPosition position, ChannelWriter<TrailPartition> writer, CancellationToken cancellationToken)
    {
        try
        {
            switch (position.Level)
            {
                case >= LayoutLevel.Region:
                    await DaysAsync(position.Account!, position.Region!, position.RegionPrefix!, writer, cancellationToken).ConfigureAwait(false);
                    break;
                case LayoutLevel.Account:
                    await AccountAsync(position.Account!, position.AccountPrefix!, writer, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    var accounts = new List<(string Account, string Prefix)>();
                    await FindAccountsAsync(position.Prefix, accounts, cancellationToken).ConfigureAwait(false);
                    await Parallel.ForEachAsync(
                        accounts,
                        new ParallelOptions { MaxDegreeOfParallelism = settings.ListParallelism, CancellationToken = cancellationToken },
                        async (account, ct) => await AccountAsync(account.Account, account.Prefix, writer, ct).ConfigureAwait(false)).ConfigureAwait(false);
                    break;
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            // The reader sees the failure through the channel; the producer task itself ends quietly.
            writer.Complete(ex);
        }
    }

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
                if (settings.Accounts.Count == 0 || settings.Accounts.Contains(name))
                {
                    accounts.Add((name, folder));
                }
            }
            else if (name == "AWSLogs" || (holdsAccounts && CloudTrailLayout.IsOrganizationId(name)))
            {
                await FindAccountsAsync(folder, accounts, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AccountAsync(string account, string accountPrefix, ChannelWriter<TrailPartition> writer, CancellationToken cancellationToken)
    {
        if (settings.Accounts.Count > 0 && !settings.Accounts.Contains(account))
        {
            return;
        }

        var regions = new List<string>();
        if (settings.Regions.Count > 0)
        {
            regions.AddRange(settings.Regions);
        }
        else
        {
            await foreach (var folder in lister.ListFoldersAsync(settings.Bucket, CloudTrailLayout.RegionsPrefix(accountPrefix), cancellationToken).ConfigureAwait(false))
            {
                var name = CloudTrailLayout.LastSegment(folder);
                if (CloudTrailLayout.IsRegion(name))
                {
                    regions.Add(name);
                }
            }
        }

        foreach (var region in regions)
        {
            await DaysAsync(account, region, CloudTrailLayout.RegionPrefix(accountPrefix, region), writer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DaysAsync(string account, string region, string regionPrefix, ChannelWriter<TrailPartition> writer, CancellationToken cancellationToken)
    {
        if (settings.Regions.Count > 0 && !settings.Regions.Contains(region))
        {
            return;
        }

        // The range asked for, narrowed to the year, month or day the prefix names. A closed range needs no listing:
        // its day folders are known.
        var (from, to) = Range(settings, _position);
        if (from is { } first && to is { } end)
        {
            foreach (var day in CloudTrailLayout.Days(first, end))
            {
                await writer.WriteAsync(new TrailPartition(account, region, day, CloudTrailLayout.DayPrefix(regionPrefix, day)), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

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
                    if (!CloudTrailLayout.TryParseDatePart(CloudTrailLayout.LastSegment(dayFolder), 2, 1, DateTime.DaysInMonth(year, month), out var dayOfMonth))
                    {
                        continue;
                    }

                    var day = new DateOnly(year, month, dayOfMonth);
                    if (day >= earliest && day <= last)
                    {
                        await writer.WriteAsync(new TrailPartition(account, region, day, dayFolder), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
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
}
