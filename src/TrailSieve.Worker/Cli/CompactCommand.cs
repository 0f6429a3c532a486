using System.CommandLine;
using System.Globalization;
using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve compact</c>: per day partition, many small gzip JSON objects into a few Parquet files.</summary>
internal static class CompactCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Folder or s3://bucket/prefix/ of batch output (hive or CloudTrail layout).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder or s3://bucket/prefix/ for the Parquet (hive layout); beside --input, never in it.", Required = true };
        var from = new Option<string?>("--from") { Description = "First day compacted, yyyy-MM-dd (inclusive)." };
        var to = new Option<string?>("--to") { Description = "Last day compacted, yyyy-MM-dd (inclusive)." };
        var accounts = AnalyticsOptions.Accounts("Only these accounts.");
        var targetSize = new Option<string>("--target-size") { Description = "Target Parquet file size, e.g. 256MB, 1GB.", DefaultValueFactory = _ => "256MB" };
        var deleteSource = new Option<bool>("--delete-source") { Description = "Delete a partition's source objects once its Parquet is written and its record count verified." };
        var memory = AnalyticsOptions.MemoryLimit();
        var spool = new Option<string?>("--spool") { Description = "Local folder for S3 downloads and Parquet being written (default: the temporary folder); holds one partition at a time." };
        var spoolLimit = AnalyticsOptions.SpoolLimit("one partition's sources and earlier Parquet", new CompactOptions().SpoolLimitBytes);
        var encryption = AnalyticsOptions.Encryption();
        var kmsKey = AnalyticsOptions.KmsKeyId();
        var command = new Command("compact", """
            Merge each account/region/day partition's gzip JSON objects into a few Parquet files (zstd, row groups of up to
            128 MB, sorted by eventTime, the fixed schema of 'athena-ddl --format parquet') named
            account=A/region=R/year=Y/month=M/day=D/compacted-gGGGGGG-NNNN.parquet under --output. Idempotent: a
            partition's earlier compacted files are merged in and replaced, and records are deduplicated by identity (all
            columns equal, eventID among them; distinct records that share an eventID are all kept), so a rerun never
            duplicates. A run writes a new generation of names and deletes the earlier one only once the new one is in
            place, so a reader never misses records (it may briefly see both: the same records twice).
            Sources are deleted (--delete-source) only after the written Parquet has been read back with the expected
            record count. A partition with a corrupt or non-CloudTrail object fails (named on stderr, sources kept) and the
            others go on. S3 objects are downloaded to a local spool one partition at a time; a partition larger than
            --spool-limit fails by name. --output must not overlap --input: the JSON table (the CloudTrail SerDe, the
            deployed Glue table) reads every object under its location, and Parquet there breaks it.
            Exit code 0 when every partition was compacted, 1 when any failed, 2 for a usage error, 3 when a bucket cannot
            be used (access denied, no such bucket, no region or credentials).

            Examples:
              trailsieve compact --input out/ --output compacted/
              trailsieve compact -i s3://filtered-trail/records/ -o s3://filtered-trail/parquet/ --from 2026-10-01 --to 2026-10-31 --delete-source
              trailsieve compact -i out/ -o compacted/ --accounts 111122223333 --target-size 128MB --spool-limit 20GB
            """)
        {
            input, output, from, to, accounts, targetSize, deleteSource, memory, spool, spoolLimit, encryption, kmsKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!TryDay(parse.GetValue(from), "--from", error, out var fromDay) || !TryDay(parse.GetValue(to), "--to", error, out var toDay)
                || AnalyticsOptions.TrySize(parse.GetValue(targetSize)!, "--target-size", 1_000_000, error) is not { } target
                || AnalyticsOptions.TrySize(parse.GetValue(spoolLimit)!, "--spool-limit", 1_000_000, error) is not { } limit
                || AnalyticsOptions.TryAccounts(parse.GetValue(accounts), error) is not { } accountSet)
            {
                return ExitCodes.UsageOrRules;
            }

            var inputLocation = parse.GetValue(input)!;
            var outputLocation = parse.GetValue(output)!;
            if (!inputLocation.StartsWith("s3://", StringComparison.Ordinal) && !Directory.Exists(inputLocation))
            {
                error.WriteLine($"--input: {inputLocation}: no such folder");
                return ExitCodes.UsageOrRules;
            }

            if (StoreLocation.Overlap(inputLocation, outputLocation))
            {
                error.WriteLine($"--output {outputLocation} overlaps --input {inputLocation}: a table over the JSON (athena-ddl --format json, the deployed Glue table) reads every object under its location with the CloudTrail SerDe, and Parquet there breaks it; write the Parquet beside it (e.g. .../parquet/ beside .../records/)");
                return ExitCodes.UsageOrRules;
            }

            var options = new CompactOptions
            {
                From = fromDay,
                To = toDay,
                Accounts = accountSet,
                TargetFileBytes = target,
                DeleteSource = parse.GetValue(deleteSource),
                SpoolDirectory = parse.GetValue(spool) ?? new CompactOptions().SpoolDirectory,
                SpoolLimitBytes = limit,
            };
            using var stores = AnalyticsOptions.OpenStores(parse.GetValue(encryption), parse.GetValue(kmsKey), error);
            if (stores is null)
            {
                return ExitCodes.UsageOrRules;
            }

            try
            {
                var compactor = new Compactor(stores.Open(inputLocation), stores.Open(outputLocation), options, new EngineOptions { MemoryLimitBytes = parse.GetValue(memory) }, error);
                var summary = await compactor.RunAsync(cancellationToken).ConfigureAwait(false);
                parse.InvocationConfiguration.Output.WriteLine(summary.ToString());
                return summary.Failed > 0 ? ExitCodes.InputFailed : ExitCodes.Success;
            }
            catch (StoreException ex)
            {
                return AnalyticsOptions.Fail("compact", ex, error);
            }
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
