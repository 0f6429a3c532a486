using System.CommandLine;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Reports;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve report</c>: per-account monthly reports (JSON + self-contained HTML) and an index.</summary>
internal static class ReportCommand
{
    public static Command Create(TimeProvider? timeProvider = null)
    {
        var month = new Option<string>("--month") { Description = "The month, yyyy-MM, or 'previous' (the calendar month before this one, UTC).", Required = true };
        var accounts = AnalyticsOptions.Accounts("Only these accounts (each gets a report, even without events).");
        var data = new Option<string>("--data", "-d") { Description = "Folder or s3://bucket/prefix/ of output: gzip JSON (any layout) and compacted Parquet.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder or s3://bucket/prefix/ the reports are written under (MONTH/ACCOUNT.html, ...).", Required = true };
        var findings = new Option<string?>("--findings") { Description = "Folder or s3://bucket/prefix/ of findings (yyyy/MM/dd/findings-*.jsonl.gz, or flat); default DATA/alerts/." };
        var memory = AnalyticsOptions.MemoryLimit();
        var spool = new Option<string?>("--spool") { Description = "Local folder for S3 downloads and engine spill files (default: the temporary folder); removed afterwards." };
        var spoolLimit = AnalyticsOptions.SpoolLimit("the month's findings, the objects outside a day partition, and one partition", ReportOptions.DefaultSpoolLimitBytes);
        var encryption = AnalyticsOptions.Encryption();
        var kmsKey = AnalyticsOptions.KmsKeyId();
        var command = new Command("report", """
            Write one report per account for a month: total events, distinct event names and principals, errors and error
            rate, read vs write, root usage, console logins with and without MFA, failed logins, high-risk actions (the
            detections of rules/detections/high-risk.yaml), findings by severity (when a findings prefix exists), top 10
            event names, principals and source IPs, and daily volume. Each as MONTH/ACCOUNT.json and a self-contained
            MONTH/ACCOUNT.html (inline SVG charts, opens offline), with MONTH/index.html over all accounts.
            One account at a time: only the month's objects of the accounts asked for are listed, and the account's day
            partitions are downloaded (from S3) as many at a time as fit --spool-limit, read in one pass and deleted
            before the next ones (the month's findings and any objects outside a partition layout stay for the run);
            a partition that does not fit on its own fails by name.
            Exit code 0, 1 when the data cannot be read (the message names the file or partition), 2 for a usage error,
            3 when a bucket cannot be used (access denied, no such bucket, no region or credentials).

            Examples:
              trailsieve report --month 2026-10 --data out/ --out reports/
              trailsieve report --month previous --data s3://filtered-trail/records/ --findings s3://filtered-trail/alerts/ --out s3://filtered-trail/reports/
              trailsieve report --month 2026-10 --accounts 111122223333 --data compacted/ --out reports/ --findings out/alerts/
            """)
        {
            month, accounts, data, output, findings, memory, spool, spoolLimit, encryption, kmsKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var now = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
            if (!ReportMonth.TryParse(parse.GetValue(month)!, now, out var reportMonth))
            {
                error.WriteLine($"--month: '{parse.GetValue(month)}' is not yyyy-MM or 'previous'");
                return ExitCodes.UsageOrRules;
            }

            var dataLocation = parse.GetValue(data)!;
            if (!dataLocation.StartsWith("s3://", StringComparison.Ordinal) && !Directory.Exists(dataLocation))
            {
                error.WriteLine($"--data: {dataLocation}: no such folder");
                return ExitCodes.UsageOrRules;
            }

            if (AnalyticsOptions.TryAccounts(parse.GetValue(accounts), error) is not { } accountSet
                || AnalyticsOptions.TrySize(parse.GetValue(spoolLimit)!, "--spool-limit", 1_000_000, error) is not { } limit)
            {
                return ExitCodes.UsageOrRules;
            }

            var outputLocation = parse.GetValue(output)!;
            var findingsLocation = parse.GetValue(findings) ?? Join(dataLocation, "alerts/");
            var options = new ReportOptions
            {
                Month = reportMonth,
                Accounts = accountSet,
                ExcludedPrefixes = [.. new[] { findingsLocation, outputLocation }.Select(l => StoreLocation.RelativePrefix(dataLocation, l)).OfType<string>().Where(p => p.Length > 0)],
                SpoolDirectory = parse.GetValue(spool) ?? ReportOptions.DefaultSpoolDirectory,
                SpoolLimitBytes = limit,
                Engine = new EngineOptions { MemoryLimitBytes = parse.GetValue(memory) },
                GeneratedUtc = now,
            };
            using var stores = AnalyticsOptions.OpenStores(parse.GetValue(encryption), parse.GetValue(kmsKey), error);
            if (stores is null)
            {
                return ExitCodes.UsageOrRules;
            }

            try
            {
                // A local findings folder that does not exist means no findings prefix; an S3 prefix is listed to find out.
                var findingsStore = findingsLocation.StartsWith("s3://", StringComparison.Ordinal) || Directory.Exists(findingsLocation) ? stores.Open(findingsLocation) : null;
                var runner = new ReportRunner(stores.Open(dataLocation), findingsStore, stores.Open(outputLocation), options, error);
                var summary = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
                parse.InvocationConfiguration.Output.WriteLine(summary.ToString(reportMonth));
                return ExitCodes.Success;
            }
            catch (StoreException ex)
            {
                return AnalyticsOptions.Fail("report", ex, error);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                error.WriteLine($"report failed: {ex.Message}");
                return ExitCodes.InputFailed;
            }
        });
        return command;
    }

    private static string Join(string location, string child) => location.EndsWith('/') ? location + child : location + "/" + child;
}
