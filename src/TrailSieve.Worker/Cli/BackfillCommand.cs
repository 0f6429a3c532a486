using System.CommandLine;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// <c>trailsieve backfill</c>: history from a CloudTrail bucket, by date partitions, processed here or fanned out
/// through the service's queue; resumable from a checkpoint.
/// </summary>
internal static partial class BackfillCommand
{
    /// <summary>
    /// Compressed input one task filters per second, for the dry-run estimate: measured for backfill and the service on
    /// one core with S3 on another (bench/service.sh, 6.0 to 6.3 MB/s), the deployment's default 1-vCPU task
    /// (docs/design/scaling.md). <c>--rate</c> overrides it; a 2-vCPU task does about 11.
    /// </summary>
    public const double DefaultRateMBps = 6.0;

    /// <summary>Objects one task reads per second when S3 answers at once: measured on small objects (bench/small-objects.sh, about 200 at 32.5 kB).</summary>
    public const double MeasuredObjectsPerSecond = 200;

    /// <summary>An in-region S3 GET of a small object, first byte to last: what a local emulator does not have.</summary>
    public static readonly TimeSpan AssumedGetLatency = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// Objects one task reads per second, for the dry-run estimate: each reader spends a GET's latency and the
    /// object's own work (1 / the measured rate) on every object, so <paramref name="readParallelism"/> readers manage
    /// readers / (latency + work), and never more than the measured rate, which is what the task's CPU allows. With
    /// the worker's default of 2 readers that is 57; with the deployed backfill task's 8, 200.
    /// </summary>
    public static double DefaultObjectsPerSecond(int readParallelism) =>
        Math.Min(MeasuredObjectsPerSecond, readParallelism / (AssumedGetLatency.TotalSeconds + (1 / MeasuredObjectsPerSecond)));

    public static Command Create()
    {
        var bucket = new Option<string>("--bucket") { Description = "The CloudTrail bucket.", Required = true };
        var prefix = new Option<string>("--prefix")
        {
            Description = "Where to start in the trail: AWSLogs/ (default), a trail prefix, or any depth of AWSLogs/[o-org/]<account>/CloudTrail/<region>/yyyy/MM/dd/; it narrows the walk and combines with --from/--to, --accounts and --regions.",
            DefaultValueFactory = _ => "AWSLogs/",
        };
        var from = new Option<string?>("--from") { Description = "First day, yyyy-MM-dd (UTC, inclusive). Default: the earliest found." };
        var to = new Option<string?>("--to") { Description = "End day, yyyy-MM-dd (UTC, exclusive: --from 2026-01-01 --to 2026-02-01 is January). Default: the latest found." };
        var accounts = new Option<string[]>("--accounts") { Description = "Only these account ids (space or comma separated).", AllowMultipleArgumentsPerToken = true };
        var regions = new Option<string[]>("--regions") { Description = "Only these regions (space or comma separated).", AllowMultipleArgumentsPerToken = true };
        var rules = new Option<string?>("--rules", "-r")
        {
            Description = "The rules file. Without it, the rules come from the configured source as for run (CONFIG_SOURCE local|s3|ssm, CONFIG_FILE, CONFIG_S3_PATH, ...). Not needed for --enqueue or --dry-run.",
        };
        var outputBucket = new Option<string?>("--output-bucket") { Description = "Output bucket (required unless --enqueue or --dry-run)." };
        var outputPrefix = new Option<string?>("--output-prefix") { Description = "Prefix of every output key (Output:Prefix)." };
        var mode = new Option<OutputMode?>("--mode", "-m")
        {
            Description = "batch (default): grouped by account/region/day; mirror: one output per input under the same key (idempotent).",
        };
        var layout = new Option<OutputLayout?>("--layout") { Description = "Batch key layout: cloudtrail (default) or hive (sets Output:KeyTemplate; hive is what athena-ddl and the Glue table project)." };
        var encryption = new Option<OutputEncryption?>("--encryption") { Description = "SSE of output objects: S3 (default), Kms or None (Output:Encryption)." };
        var kmsKey = new Option<string?>("--kms-key-id") { Description = "KMS key for --encryption Kms (Output:KmsKeyId)." };
        var detections = CommonOptions.Detections();
        var alertsPrefix = new Option<string?>("--alerts-prefix") { Description = "Key prefix of the findings in the output bucket, partitioned by day (Detections:AlertsPrefix; default alerts/)." };
        var parallelism = new Option<int?>("--parallelism", "-p") { Description = "Filter workers (Pipeline:FilterParallelism; default: the number of cores)." };
        var listParallelism = new Option<int>("--list-parallelism") { Description = "Listings in flight at once.", DefaultValueFactory = _ => 8 };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "Resume file: a local path or s3://bucket/key. A rerun skips what it records as done. Default: a document named after the source and target under Backfill:CheckpointPrefix (Backfill__CheckpointPrefix), when that is set.",
        };
        var checkpointInterval = new Option<string>("--checkpoint-interval") { Description = "How often the checkpoint is saved (and at the end).", DefaultValueFactory = _ => "30s" };
        var enqueue = new Option<string?>("--enqueue") { Description = "Instead of processing, send one S3 event message per object to this queue URL for the service." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List and count only (objects, bytes, partitions) and estimate the time." };
        var rate = new Option<double>("--rate") { Description = "Compressed MB/s one task filters, for the --dry-run estimate (default 6: a 1-vCPU task).", DefaultValueFactory = _ => DefaultRateMBps };
        var objectRate = new Option<double?>("--object-rate")
        {
            Description = "Objects one task reads per second, for the --dry-run estimate (default: Pipeline:ReadParallelism readers at 30 ms per GET plus 5 ms of work, at most 200: 57 with 2 readers). The longer of the bytes' and the objects' time is the estimate.",
        };
        var tasks = new Option<int>("--tasks") { Description = "Tasks sharing the work, for the --dry-run estimate.", DefaultValueFactory = _ => 1 };
        var progressInterval = new Option<string>("--progress-interval") { Description = "Progress log interval when stdout is not a terminal.", DefaultValueFactory = _ => "10s" };

        var command = new Command("backfill", """
            Process CloudTrail history from a bucket: walks AWSLogs/[o-org/]<account>/CloudTrail/<region>/yyyy/MM/dd/ by
            listing the date partitions in parallel, day by day, and streams each day's objects in delivery order through
            the same pipeline and S3 output as the service (or, with --enqueue, sends one S3 event message per object to
            the service's queue). With a checkpoint, a rerun after a crash or a Spot interruption skips finished
            partitions and objects. Output, pipeline, logging and metrics settings come from appsettings.json and the
            environment as for `run` (Output__PartBytes, Output__KeyTemplate, Pipeline__ReadParallelism,
            CLOUDTRAIL_OUTPUT_BUCKET_NAME, TRAILSIEVE_LOG_FORMAT, METRICS_ENABLED, OTEL_EXPORTER_OTLP_ENDPOINT, ...);
            options given here win.
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
            bucket, prefix, from, to, accounts, regions, rules, outputBucket, outputPrefix, mode, layout, encryption, kmsKey, parallelism, listParallelism,
            checkpoint, checkpointInterval, enqueue, dryRun, rate, objectRate, tasks, progressInterval, detections, alertsPrefix,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!TryBuildSettings(parse, bucket, prefix, from, to, accounts, regions, listParallelism, error, out var settings)
                || !TryDuration(parse.GetValue(checkpointInterval)!, "--checkpoint-interval", error, out var saveEvery)
                || !TryDuration(parse.GetValue(progressInterval)!, "--progress-interval", error, out var reportEvery))
            {
                return ExitCodes.UsageOrRules;
            }

            var queueUrl = parse.GetValue(enqueue);
            var request = new BackfillRequest
            {
                Settings = settings,
                Action = parse.GetValue(dryRun) ? BackfillAction.DryRun : queueUrl is not null ? BackfillAction.Enqueue : BackfillAction.Process,
                QueueUrl = queueUrl,
                RulesFile = parse.GetValue(rules),
                OutputBucket = parse.GetValue(outputBucket),
                OutputPrefix = parse.GetValue(outputPrefix),
                Mode = parse.GetValue(mode),
                Layout = parse.GetValue(layout),
                Encryption = parse.GetValue(encryption),
                KmsKeyId = parse.GetValue(kmsKey),
                DetectionFiles = parse.GetValue(detections) ?? [],
                AlertsPrefix = parse.GetValue(alertsPrefix),
                FilterParallelism = parse.GetValue(parallelism),
                Checkpoint = parse.GetValue(checkpoint),
                CheckpointInterval = saveEvery,
                ProgressInterval = reportEvery,
                RateMBps = parse.GetValue(rate),
                ObjectsPerSecond = parse.GetValue(objectRate),
                Tasks = parse.GetValue(tasks),
            };
            if (request.RateMBps <= 0 || request.ObjectsPerSecond <= 0 || request.Tasks < 1)
            {
                error.WriteLine(request.Tasks < 1 ? "--tasks: must be at least 1" : "--rate and --object-rate: must be above 0");
                return ExitCodes.UsageOrRules;
            }

            return await ExecuteAsync(request, output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>An SDK client made on first use and disposed with the command, if it was made at all.</summary>
    private sealed class LazyClient<T>(Func<T> create) : IDisposable
        where T : class, IDisposable
    {
        private T? _value;

        public T Value => _value ??= create();

        public void Dispose() => _value?.Dispose();
    }
}
