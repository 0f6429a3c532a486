using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// <c>trailsieve report</c>: the month's reports, one account at a time. The store is listed for the month's objects
/// only (<see cref="MonthListing"/>); the month's findings and the objects outside a day partition are fetched once and
/// kept; then for each account, its day partitions are fetched as many at a time as fit the spool limit, added to the
/// account's month and deleted before the next ones, and the account's pages are written before the next account
/// starts. The spool so never holds more than its limit, and a partition that does not fit on its own fails by name.
/// </summary>
public sealed class ReportRunner(IObjectStore data, IObjectStore? findings, IObjectStore output, ReportOptions options, TextWriter progress)
{
    /// <exception cref="SpoolLimitException">What one partition (or the findings) needs does not fit the spool limit.</exception>
    /// <exception cref="StoreException">A store request failed for good; the message names the object.</exception>
    /// <exception cref="InvalidDataException">A data or findings file cannot be read; the message names it.</exception>
    public async Task<ReportSummary> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var scratch = Path.Combine(options.SpoolDirectory, Guid.NewGuid().ToString("N"));
        using var spool = new Spool(Path.Combine(scratch, "spool"), options.SpoolLimitBytes);
        try
        {
            var month = options.Month;
            var listing = await MonthListing.ListAsync(data, month, options.Accounts, options.ExcludedPrefixes, cancellationToken).ConfigureAwait(false);
            var findingsObjects = findings is null ? null : await FindingsListing.ListAsync(findings, month, cancellationToken).ConfigureAwait(false);
            var findingsFiles = findingsObjects is null ? null : await spool.FetchAsync(findings!, findingsObjects, $"the findings of {month}", cancellationToken).ConfigureAwait(false);
            var shared = DataFiles.Find(await spool.FetchAsync(data, listing.Unplaced, "the data objects outside a day partition", cancellationToken).ConfigureAwait(false));
            using var engine = new AnalyticsEngine(options.Engine with { TempDirectory = Path.Combine(scratch, "engine") });
            var writer = new ReportWriter(output, month, options.GeneratedUtc, Path.Combine(scratch, "pages"));
            var reports = new List<AccountReport>();
            var dataFiles = listing.Unplaced.Count;
            foreach (var account in Accounts(engine, listing, shared))
            {
                var accountMonth = new AccountMonth(engine, month, account, options.HighRisk);
                var partitions = listing.Placed.TryGetValue(account, out var placed) ? placed.Values.ToList() : [];
                foreach (var batch in Batches(partitions, spool))
                {
                    await AddAsync(accountMonth, batch, spool, cancellationToken).ConfigureAwait(false);
                    dataFiles += batch.Sum(p => p.Objects.Count);
                }

                accountMonth.Add(shared);
                var report = accountMonth.Build(findingsFiles);
                await writer.WriteAccountAsync(report, cancellationToken).ConfigureAwait(false);
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"report {month} {account}: {partitions.Count} partitions, {partitions.Sum(p => p.Objects.Count)} objects, {report.TotalEvents} events"));
                reports.Add(report);
            }

            await writer.WriteIndexAsync(reports, cancellationToken).ConfigureAwait(false);
            return new ReportSummary(reports, dataFiles, findingsFiles?.Count, writer.Keys, output.Root, Stopwatch.GetElapsedTime(started));
        }
        catch (DuckDBException ex)
        {
            throw new InvalidDataException(spool.Rename(ex.Message).ReplaceLineEndings(" "), ex);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>
    /// The account's partitions in runs that fit the spool together with what it holds (downloads only: a local store
    /// needs no room, so its partitions form one run), so the per-query cost is paid per run, not per partition. A
    /// partition too big on its own is a run of its own, and fails by name when it is fetched.
    /// </summary>
    private IEnumerable<List<(DayPartition Partition, List<StoredObject> Objects)>> Batches(List<(DayPartition Partition, List<StoredObject> Objects)> partitions, Spool spool)
    {
        var batch = new List<(DayPartition Partition, List<StoredObject> Objects)>();
        long bytes = 0;
        foreach (var partition in partitions)
        {
            var size = data.IsLocal ? 0 : partition.Objects.Sum(o => o.Size);
            if (batch.Count > 0 && spool.UsedBytes + bytes + size > spool.LimitBytes)
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }

            batch.Add(partition);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>Fetches a run of partitions (each checked against the spool limit by name), adds them, and deletes them.</summary>
    private async Task AddAsync(AccountMonth month, List<(DayPartition Partition, List<StoredObject> Objects)> batch, Spool spool, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        try
        {
            foreach (var (partition, objects) in batch)
            {
                paths.AddRange(await spool.FetchAsync(data, objects, $"partition {partition}", cancellationToken).ConfigureAwait(false));
            }

            month.Add(DataFiles.Find(paths));
        }
        finally
        {
            spool.Release(paths);
        }
    }

    /// <summary>The accounts asked for; else every account with a partition in the month or records in the unpartitioned objects.</summary>
    private IReadOnlyList<string> Accounts(AnalyticsEngine engine, MonthListing listing, DataFiles shared)
    {
        if (options.Accounts.Count > 0)
        {
            return [.. options.Accounts.Order(StringComparer.Ordinal)];
        }

        var accounts = new SortedSet<string>(listing.Placed.Keys, StringComparer.Ordinal);
        if (shared.Count > 0)
        {
            engine.UseData(shared);
            using var reader = engine.Query($"SELECT DISTINCT {AccountMonth.AccountColumn} FROM {CloudTrailView.ViewName} WHERE {AccountMonth.Condition(options.Month, null)}");
            while (reader.Read())
            {
                accounts.Add(reader.GetString(0));
            }
        }

        return [.. accounts];
    }
}
