using System.CommandLine;
using System.Globalization;
using TrailSieve.Core.Layout;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve backfill</c>'s command line: its options and description, and the check that turns a parse into a <see cref="BackfillRequest"/>.</summary>
internal sealed class BackfillCommandLine
{
    private readonly Option<string> _bucket = new("--bucket") { Description = "The CloudTrail bucket.", Required = true };

    private readonly Option<string> _prefix = new("--prefix")
    {
        Description = "Where to start in the trail: AWSLogs/ (default), a trail prefix, or any depth of AWSLogs/[o-org/]<account>/CloudTrail/<region>/yyyy/MM/dd/; it narrows the walk and combines with --from/--to, --accounts and --regions.",
        DefaultValueFactory = _ => "AWSLogs/",
    };

    private readonly Option<string?> _from = new("--from") { Description = "First day, yyyy-MM-dd (UTC, inclusive). Default: the earliest found." };

    private readonly Option<string?> _to = new("--to") { Description = "End day, yyyy-MM-dd (UTC, exclusive: --from 2026-01-01 --to 2026-02-01 is January). Default: the latest found." };

    private readonly Option<string[]> _accounts = new("--accounts") { Description = "Only these account ids (space or comma separated).", AllowMultipleArgumentsPerToken = true };

    private readonly Option<string[]> _regions = new("--regions") { Description = "Only these regions (space or comma separated).", AllowMultipleArgumentsPerToken = true };

    private readonly Option<string[]> _includeKeys = new("--include-keys")
    {
        Description = "Only keys matching one of these (space separated or repeated): a key prefix, or re:pattern (a .NET regular expression, matched anywhere unless anchored). Replaces Sqs:IncludeKeys. Skipped keys are listed and counted, never downloaded.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> _excludeKeys = new("--exclude-keys")
    {
        Description = "Never keys matching one of these (same syntax as --include-keys; exclusion wins). Replaces Sqs:ExcludeKeys.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _expectedOwner = new("--expected-bucket-owner")
    {
        Description = "Account id (12 digits) that must own every bucket touched (source, output, checkpoint, rules), sent as x-amz-expected-bucket-owner. Replaces Sqs:ExpectedBucketOwner.",
    };

    private readonly Option<string?> _rules = new("--rules", "-r")
    {
        Description = "The rules file. Without it, the rules come from the configured source as for run (CONFIG_SOURCE local|s3|ssm, CONFIG_FILE, CONFIG_S3_PATH, ...). Not needed for --enqueue or --dry-run.",
    };

    private readonly Option<string?> _outputBucket = new("--output-bucket") { Description = "Output bucket (required unless --enqueue or --dry-run)." };

    private readonly Option<string?> _outputPrefix = new("--output-prefix") { Description = "Prefix of every output key (Output:Prefix)." };

    private readonly Option<OutputMode?> _mode = new("--mode", "-m")
    {
        Description = "batch (default): grouped by account/region/day; mirror: one output per input under the same key (idempotent).",
    };

    private readonly Option<OutputFormat?> _format = CommonOptions.OutputFormat();

    private readonly Option<OutputLayout?> _layout = new("--layout") { Description = "Batch key layout: cloudtrail (default) or hive (sets Output:KeyTemplate; hive is what athena-ddl and the Glue table project)." };

    private readonly Option<OutputEncryption?> _encryption = new("--encryption") { Description = "SSE of output objects: S3 (default), Kms or None (Output:Encryption)." };

    private readonly Option<string?> _kmsKey = new("--kms-key-id") { Description = "KMS key for --encryption Kms (Output:KmsKeyId)." };

    private readonly Option<string[]> _detections = CommonOptions.Detections();

    private readonly Option<string?> _alertsPrefix = new("--alerts-prefix") { Description = "Key prefix of the findings in the output bucket, partitioned by day (Detections:AlertsPrefix; default alerts/)." };

    private readonly Option<int?> _parallelism = new("--parallelism", "-p") { Description = "Filter workers (Pipeline:FilterParallelism; default: the number of cores)." };

    private readonly Option<int> _listParallelism = new("--list-parallelism") { Description = "Listings in flight at once.", DefaultValueFactory = _ => 8 };

    private readonly Option<string?> _checkpoint = new("--checkpoint")
    {
        Description = "Resume file: a local path or s3://bucket/key. A rerun skips what it records as done. Default: a document named after the source and target under Backfill:CheckpointPrefix (Backfill__CheckpointPrefix), when that is set.",
    };

    private readonly Option<string> _checkpointInterval = new("--checkpoint-interval") { Description = "How often the checkpoint is saved (and at the end).", DefaultValueFactory = _ => "30s" };

    private readonly Option<string?> _enqueue = new("--enqueue") { Description = "Instead of processing, send one S3 event message per object to this queue URL for the service." };

    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "List and count only (objects, bytes, partitions) and estimate the time." };

    private readonly Option<double> _rate = new("--rate") { Description = "Compressed MB/s one task filters, for the --dry-run estimate (default 6: a 1-vCPU task).", DefaultValueFactory = _ => BackfillEstimate.DefaultRateMBps };

    private readonly Option<double?> _objectRate = new("--object-rate")
    {
        Description = "Objects one task reads per second, for the --dry-run estimate (default: Pipeline:ReadParallelism readers at 30 ms per GET plus 5 ms of work, at most 200: 57 with 2 readers). The longer of the bytes' and the objects' time is the estimate.",
    };

    private readonly Option<int> _tasks = new("--tasks") { Description = "Tasks sharing the work, for the --dry-run estimate.", DefaultValueFactory = _ => 1 };

    private readonly Option<string> _progressInterval = new("--progress-interval") { Description = "Progress log interval when stdout is not a terminal.", DefaultValueFactory = _ => "10s" };

    /// <summary>The command with every option; its action is the caller's.</summary>
    public Command CreateCommand() =>
        new("backfill", """
            Process CloudTrail history from a bucket: walks AWSLogs/[o-org/]<account>/CloudTrail/<region>/yyyy/MM/dd/ by
            listing the date partitions in parallel, day by day, and streams each day's objects in delivery order through
            the same pipeline and S3 output as the service (or, with --enqueue, sends one S3 event message per object to
            the service's queue). With a checkpoint, a rerun after a crash or a Spot interruption skips finished
            partitions and objects. Output, pipeline, logging and metrics settings come from appsettings.json and the
            environment as for `run` (Output__PartBytes, Output__KeyTemplate, Pipeline__ReadParallelism,
            CLOUDTRAIL_OUTPUT_BUCKET_NAME, TRAILSIEVE_LOG_FORMAT, METRICS_ENABLED, OTEL_EXPORTER_OTLP_ENDPOINT, ...);
            options given here win. The key filter and the expected bucket owner are the service's (Sqs:IncludeKeys,
            Sqs:ExcludeKeys, Sqs:ExpectedBucketOwner), so one configuration serves both.
            SIGTERM/Ctrl-C stops the listing, finishes what is in flight, saves the checkpoint and exits 130; a second
            signal aborts what is in flight too.
            Exit code 0 when everything was processed (or the checkpoint has it all), 1 when any object failed (each on
            stderr with its reason), 2 for a usage or rules error, 3 when the bucket, queue, checkpoint or AWS itself
            cannot be used, 4 when the bucket, prefix and filters match no object at all.

            Examples:
              trailsieve backfill --bucket org-trail --from 2026-01-01 --to 2026-02-01 --rules rules/default.yaml --output-bucket filtered-trail --checkpoint s3://filtered-trail/backfill/jan.json
              trailsieve backfill --bucket org-trail --from 2026-01-01 --to 2026-02-01 --rules rules/default.yaml --detections rules/detections/threats.yaml --output-bucket filtered-trail
              trailsieve backfill --bucket org-trail --prefix AWSLogs/o-abc123defg/ --accounts 111122223333 --regions eu-west-1 --dry-run
              trailsieve backfill --bucket org-trail --prefix AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/ --enqueue https://sqs.eu-west-1.amazonaws.com/111122223333/trailsieve --checkpoint jan.json
            """)
        {
            _bucket, _prefix, _from, _to, _accounts, _regions, _includeKeys, _excludeKeys, _expectedOwner, _rules, _outputBucket, _outputPrefix, _mode, _format, _layout, _encryption, _kmsKey, _parallelism,
            _listParallelism, _checkpoint, _checkpointInterval, _enqueue, _dryRun, _rate, _objectRate, _tasks, _progressInterval, _detections, _alertsPrefix,
        };

    /// <summary>The request the command line asks for, or null after a line on <paramref name="error"/> naming the option that is wrong.</summary>
    public BackfillRequest? TryParse(ParseResult parse, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (!TryBuildSettings(parse, error, out var settings)
            || !TryDuration(parse.GetValue(_checkpointInterval)!, "--checkpoint-interval", error, out var saveEvery)
            || !TryDuration(parse.GetValue(_progressInterval)!, "--progress-interval", error, out var reportEvery)
            || !TryKeys(parse, _includeKeys, error, out var include)
            || !TryKeys(parse, _excludeKeys, error, out var exclude)
            || !TryOwner(parse.GetValue(_expectedOwner), error))
        {
            return null;
        }

        var queueUrl = parse.GetValue(_enqueue);
        var request = new BackfillRequest
        {
            Settings = settings,
            Action = parse.GetValue(_dryRun) ? BackfillAction.DryRun : queueUrl is not null ? BackfillAction.Enqueue : BackfillAction.Process,
            QueueUrl = queueUrl,
            RulesFile = parse.GetValue(_rules),
            OutputBucket = parse.GetValue(_outputBucket),
            OutputPrefix = parse.GetValue(_outputPrefix),
            Mode = parse.GetValue(_mode),
            Layout = parse.GetValue(_layout),
            Format = parse.GetValue(_format),
            Encryption = parse.GetValue(_encryption),
            KmsKeyId = parse.GetValue(_kmsKey),
            DetectionFiles = parse.GetValue(_detections) ?? [],
            AlertsPrefix = parse.GetValue(_alertsPrefix),
            FilterParallelism = parse.GetValue(_parallelism),
            IncludeKeys = include,
            ExcludeKeys = exclude,
            ExpectedBucketOwner = parse.GetValue(_expectedOwner),
            Checkpoint = parse.GetValue(_checkpoint),
            CheckpointInterval = saveEvery,
            ProgressInterval = reportEvery,
            RateMBps = parse.GetValue(_rate),
            ObjectsPerSecond = parse.GetValue(_objectRate),
            Tasks = parse.GetValue(_tasks),
        };
        if (request.RateMBps <= 0 || request.ObjectsPerSecond <= 0 || request.Tasks < 1)
        {
            error.WriteLine(request.Tasks < 1 ? "--tasks: must be at least 1" : "--rate and --object-rate: must be above 0");
            return null;
        }

        return request;
    }

    private bool TryBuildSettings(ParseResult parse, TextWriter error, out BackfillSettings settings)
    {
        settings = null!;
        DateOnly? first = null, end = null;
        if (parse.GetValue(_from) is { } fromText)
        {
            if (!DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                error.WriteLine($"--from: '{fromText}' is not a date (yyyy-MM-dd)");
                return false;
            }

            first = day;
        }

        if (parse.GetValue(_to) is { } toText)
        {
            if (!DateOnly.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                error.WriteLine($"--to: '{toText}' is not a date (yyyy-MM-dd)");
                return false;
            }

            end = day;
        }

        if (first is { } a && end is { } b && b <= a)
        {
            error.WriteLine($"--to {b:yyyy-MM-dd} must be after --from {a:yyyy-MM-dd} (--to is exclusive)");
            return false;
        }

        var accountSet = Split(parse.GetValue(_accounts));
        if (accountSet.FirstOrDefault(a => !CloudTrailLayout.IsAccountId(a)) is { } badAccount)
        {
            error.WriteLine($"--accounts: '{badAccount}' is not a 12-digit account id");
            return false;
        }

        var regionSet = Split(parse.GetValue(_regions));
        if (regionSet.FirstOrDefault(r => !CloudTrailLayout.IsRegion(r)) is { } badRegion)
        {
            error.WriteLine($"--regions: '{badRegion}' is not a region name (e.g. eu-west-1)");
            return false;
        }

        var lists = parse.GetValue(_listParallelism);
        if (lists is < 1 or > 64)
        {
            error.WriteLine($"--list-parallelism: {lists} is not between 1 and 64");
            return false;
        }

        settings = new BackfillSettings
        {
            Bucket = parse.GetValue(_bucket)!,
            Prefix = parse.GetValue(_prefix)!,
            From = first,
            To = end,
            Accounts = accountSet,
            Regions = regionSet,
            ListParallelism = lists,
        };
        return true;
    }

    /// <summary>The entries of a key option, null when it was not given; false after a line naming the entry that is not valid.</summary>
    private static bool TryKeys(ParseResult parse, Option<string[]> option, TextWriter error, out IReadOnlyList<string>? entries)
    {
        entries = null;
        if (parse.GetResult(option) is null or { Implicit: true })
        {
            return true;
        }

        var values = parse.GetValue(option) ?? [];
        foreach (var value in values)
        {
            try
            {
                _ = KeyPattern.Parse(value);
            }
            catch (FormatException ex)
            {
                error.WriteLine($"{option.Name}: {ex.Message}");
                return false;
            }
        }

        entries = values;
        return true;
    }

    private static bool TryOwner(string? owner, TextWriter error)
    {
        if (owner is null || (owner.Length == 12 && owner.All(char.IsAsciiDigit)))
        {
            return true;
        }

        error.WriteLine($"--expected-bucket-owner: '{owner}' is not an AWS account id (12 digits)");
        return false;
    }

    private static HashSet<string> Split(string[]? values) =>
        values is null ? [] : [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static bool TryDuration(string text, string option, TextWriter error, out TimeSpan duration)
    {
        if (DurationParser.TryParse(text, out duration) && duration > TimeSpan.Zero)
        {
            return true;
        }

        error.WriteLine($"{option}: '{text}' is not a duration (e.g. 30s, 5m)");
        return false;
    }
}
