using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
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
        var accounts = new Option<string[]>("--accounts") { Description = "Only these account ids (each gets a report, even without events).", AllowMultipleArgumentsPerToken = true };
        var data = new Option<string>("--data", "-d") { Description = "Folder or s3://bucket/prefix/ of output: gzip JSON (any layout) and compacted Parquet.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder or s3://bucket/prefix/ the reports are written under (MONTH/ACCOUNT.html, ...).", Required = true };
        var findings = new Option<string?>("--findings") { Description = "Folder or s3://bucket/prefix/ of findings (findings-*.jsonl.gz); default DATA/alerts/." };
        var memory = AnalyticsOptions.MemoryLimit();
        var spool = new Option<string?>("--spool") { Description = "Local folder for S3 downloads (default: the temporary folder); removed afterwards." };
        var command = new Command("report", """
            Write one report per account for a month: total events, distinct event names and principals, errors and error
            rate, read vs write, root usage, console logins with and without MFA, failed logins, high-risk actions,
            findings by severity (when a findings prefix exists), top 10 event names, principals and source IPs, and
            daily volume. Each as MONTH/ACCOUNT.json and a self-contained MONTH/ACCOUNT.html (inline SVG charts, opens
            offline), with MONTH/index.html over all accounts. Objects in day partitions outside the month are not read.
            Exit code 0, 1 when the data cannot be read (the message names the file), 2 for a usage error.

            Examples:
              trailsieve report --month 2026-10 --data out/ --out reports/
              trailsieve report --month previous --data s3://filtered-trail/ --out s3://filtered-trail/reports/
              trailsieve report --month 2026-10 --accounts 111122223333 --data compacted/ --out reports/ --findings out/alerts/
            """)
        {
            month, accounts, data, output, findings, memory, spool,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var clock = timeProvider ?? TimeProvider.System;
            var now = clock.GetUtcNow().UtcDateTime;
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

            var started = Stopwatch.GetTimestamp();
            var scratch = Path.Combine(parse.GetValue(spool) ?? Path.Combine(Path.GetTempPath(), "trailsieve-report"), Guid.NewGuid().ToString("N"));
            try
            {
                var dataStore = Stores.Open(dataLocation);
                var files = await DataLocalizer.LocalizeAsync(
                    dataStore, day => day.Year == reportMonth.Year && day.Month == reportMonth.Month, Path.Combine(scratch, "data"), "alerts/", cancellationToken).ConfigureAwait(false);
                var findingsLocation = parse.GetValue(findings) ?? Join(dataLocation, "alerts/");
                var findingsFiles = dataLocation.StartsWith("s3://", StringComparison.Ordinal) || findingsLocation.StartsWith("s3://", StringComparison.Ordinal) || Directory.Exists(findingsLocation)
                    ? await DataLocalizer.LocalizeFindingsAsync(Stores.Open(findingsLocation), Path.Combine(scratch, "findings"), cancellationToken).ConfigureAwait(false)
                    : null;
                IReadOnlyList<AccountReport> reports;
                using (var engine = new AnalyticsEngine(new EngineOptions { MemoryLimitBytes = parse.GetValue(memory), TempDirectory = Path.Combine(scratch, "tmp") }))
                {
                    engine.UseData(files);
                    reports = ReportBuilder.Build(engine, reportMonth, parse.GetValue(accounts) ?? [], findingsFiles);
                }

                var outputStore = Stores.Open(parse.GetValue(output)!);
                var keys = await ReportWriter.WriteAsync(outputStore, reportMonth, reports, now, Path.Combine(scratch, "out"), cancellationToken).ConfigureAwait(false);
                parse.InvocationConfiguration.Output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"report {reportMonth}: accounts {reports.Count}, events {reports.Sum(r => r.TotalEvents)}, data files {files.Count}, findings {(findingsFiles is null ? "none (no findings prefix)" : $"{findingsFiles.Count} files")}, wrote {keys.Count} files to {outputStore.Root.TrimEnd('/')}/{reportMonth}/, {Stopwatch.GetElapsedTime(started).TotalSeconds:F2} s"));
                return ExitCodes.Success;
            }
            catch (DuckDBException ex)
            {
                error.WriteLine($"report failed: {ex.Message}");
                return ExitCodes.InputFailed;
            }
            finally
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
        });
        return command;
    }

    private static string Join(string location, string child) => location.EndsWith('/') ? location + child : location + "/" + child;
}
