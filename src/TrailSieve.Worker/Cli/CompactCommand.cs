using System.CommandLine;
using System.Globalization;
using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve compact</c>: per day partition, many small gzip JSON objects into a few Parquet files.</summary>
internal static class CompactCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Folder or s3://bucket/prefix/ of batch output (hive or CloudTrail layout).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder or s3://bucket/prefix/ for the Parquet (hive layout; may equal --input).", Required = true };
        var from = new Option<string?>("--from") { Description = "First day compacted, yyyy-MM-dd (inclusive)." };
        var to = new Option<string?>("--to") { Description = "Last day compacted, yyyy-MM-dd (inclusive)." };
        var accounts = new Option<string[]>("--accounts") { Description = "Only these account ids.", AllowMultipleArgumentsPerToken = true };
        var targetSize = new Option<string>("--target-size") { Description = "Target Parquet file size, e.g. 256MB, 1GB.", DefaultValueFactory = _ => "256MB" };
        var deleteSource = new Option<bool>("--delete-source") { Description = "Delete a partition's source objects once its Parquet is written and its record count verified." };
        var memory = AnalyticsOptions.MemoryLimit();
        var spool = new Option<string?>("--spool") { Description = "Local folder for S3 downloads and Parquet being written (default: the temporary folder); holds one partition at a time." };
        var command = new Command("compact", """
            Merge each account/region/day partition's gzip JSON objects into a few Parquet files (zstd, row groups of up to
            128 MB, sorted by eventTime, the fixed schema of 'athena-ddl --format parquet') named
            account=A/region=R/year=Y/month=M/day=D/compacted-NNNN.parquet under --output. Idempotent: a partition's
            earlier compacted files are merged in and replaced, and records are deduplicated by eventID, so a rerun never
            duplicates. Sources are deleted (--delete-source) only after the written Parquet has been read back with the
            expected record count. A partition with a corrupt or non-CloudTrail object fails (named on stderr, sources
            kept) and the others go on. S3 objects are downloaded to a local spool one partition at a time.
            When --output is --input, keep --delete-source on, or 'query' over the folder sees each record twice.
            Exit code 0 when every partition was compacted, 1 when any failed, 2 for a usage error.

            Examples:
              trailsieve compact --input out/ --output compacted/
              trailsieve compact -i s3://filtered-trail/cloudtrail/ -o s3://filtered-trail/parquet/ --from 2026-10-01 --to 2026-10-31 --delete-source
              trailsieve compact -i out/ -o out/ --accounts 111122223333 --target-size 128MB --delete-source
            """)
        {
            input, output, from, to, accounts, targetSize, deleteSource, memory, spool,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!TryDay(parse.GetValue(from), "--from", error, out var fromDay) || !TryDay(parse.GetValue(to), "--to", error, out var toDay))
            {
                return ExitCodes.UsageOrRules;
            }

            if (!ByteSizes.TryParse(parse.GetValue(targetSize)!, out var target) || target < 1_000_000)
            {
                error.WriteLine($"--target-size: '{parse.GetValue(targetSize)}' is not a size of at least 1MB (e.g. 256MB, 1GB)");
                return ExitCodes.UsageOrRules;
            }

            var options = new CompactOptions
            {
                From = fromDay,
                To = toDay,
                Accounts = new HashSet<string>(parse.GetValue(accounts) ?? [], StringComparer.Ordinal),
                TargetFileBytes = target,
                DeleteSource = parse.GetValue(deleteSource),
                SpoolDirectory = parse.GetValue(spool) ?? new CompactOptions().SpoolDirectory,
            };
            var inputLocation = parse.GetValue(input)!;
            if (!inputLocation.StartsWith("s3://", StringComparison.Ordinal) && !Directory.Exists(inputLocation))
            {
                error.WriteLine($"--input: {inputLocation}: no such folder");
                return ExitCodes.UsageOrRules;
            }

            var compactor = new Compactor(
                Stores.Open(inputLocation), Stores.Open(parse.GetValue(output)!), options, new EngineOptions { MemoryLimitBytes = parse.GetValue(memory) }, error);
            var summary = await compactor.RunAsync(cancellationToken).ConfigureAwait(false);
            parse.InvocationConfiguration.Output.WriteLine(summary.ToString());
            return summary.Failed > 0 ? ExitCodes.InputFailed : ExitCodes.Success;
        });
        return command;
    }

    private static bool TryDay(string? text, string name, TextWriter error, out DateOnly? day)
    {
        day = null;
        if (text is null)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            day = parsed;
            return true;
        }

        error.WriteLine($"{name}: '{text}' is not a day (yyyy-MM-dd)");
        return false;
    }
}
