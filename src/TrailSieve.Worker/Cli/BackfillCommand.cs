using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Layout;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// <c>trailsieve backfill</c>: history from a CloudTrail bucket, by date partitions, processed here or fanned out
/// through the service's queue; resumable from a checkpoint.
/// </summary>
internal static partial class BackfillCommand
{
    /// <summary>
    /// Compressed input one task filters per second when the estimate has nothing better: the service's measured rate
    /// on a 2-vCPU task (docs/design/scaling.md). <c>--rate</c> overrides it.
    /// </summary>
    public const double DefaultRateMBps = 10.0;

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
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Resume file: a local path or s3://bucket/key. A rerun skips what it records as done. Default: a document named after the source and target under Backfill:CheckpointPrefix (Backfill__CheckpointPrefix), when that is set." };
        var checkpointInterval = new Option<string>("--checkpoint-interval") { Description = "How often the checkpoint is saved (and at the end).", DefaultValueFactory = _ => "30s" };
        var enqueue = new Option<string?>("--enqueue") { Description = "Instead of processing, send one S3 event message per object to this queue URL for the service." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List and count only (objects, bytes, partitions) and estimate the time." };
        var rate = new Option<double>("--rate") { Description = "Compressed MB/s one task processes, for the --dry-run estimate.", DefaultValueFactory = _ => DefaultRateMBps };
        var tasks = new Option<int>("--tasks") { Description = "Tasks sharing the work, for the --dry-run estimate.", DefaultValueFactory = _ => 1 };
        var progressInterval = new Option<string>("--progress-interval") { Description = "Progress line interval when stdout is not a terminal.", DefaultValueFactory = _ => "10s" };

        var command = new Command("backfill", """
            Process CloudTrail history from a bucket: walks AWSLogs/[o-org/]<account>/CloudTrail/<region>/yyyy/MM/dd/ by
            listing the date partitions in parallel, and streams each object through the same pipeline and S3 output as
            the service (or, with --enqueue, sends one S3 event message per object to the service's queue). With
            --checkpoint, a rerun after a crash or a Spot interruption skips finished partitions and objects.
            Output and pipeline settings come from appsettings.json and the environment as for `run` (Output__PartBytes,
            Output__KeyTemplate, Pipeline__ReadParallelism, CLOUDTRAIL_OUTPUT_BUCKET_NAME, ...); options given here win.
            SIGTERM/Ctrl-C stops the listing, finishes what is in flight, saves the checkpoint and exits 130.
            Exit code 0 when everything was processed (or the checkpoint has it all), 1 when any object failed (each on
            stderr with its reason), 2 for a usage or rules error, 3 when the bucket, queue or checkpoint cannot be used,
            4 when the bucket, prefix and filters match no object at all.

            Examples:
              trailsieve backfill --bucket org-trail --from 2026-01-01 --to 2026-02-01 --rules rules/default.yaml --output-bucket filtered-trail --checkpoint s3://filtered-trail/backfill/jan.json
              trailsieve backfill --bucket org-trail --from 2026-01-01 --to 2026-02-01 --rules rules/default.yaml --detections rules/detections/threats.yaml --output-bucket filtered-trail
              trailsieve backfill --bucket org-trail --prefix AWSLogs/o-abc123defg/ --accounts 111122223333 --regions eu-west-1 --dry-run
              trailsieve backfill --bucket org-trail --from 2025-01-01 --to 2026-01-01 --enqueue https://sqs.eu-west-1.amazonaws.com/111122223333/trailsieve --checkpoint year.json
            """)
        {
            bucket, prefix, from, to, accounts, regions, rules, outputBucket, outputPrefix, mode, layout, encryption, kmsKey, parallelism, listParallelism,
            checkpoint, checkpointInterval, enqueue, dryRun, rate, tasks, progressInterval, detections, alertsPrefix,
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

            var isDryRun = parse.GetValue(dryRun);
            var queueUrl = parse.GetValue(enqueue);
            var action = isDryRun ? BackfillAction.DryRun : queueUrl is not null ? BackfillAction.Enqueue : BackfillAction.Process;
            var (outputOptions, pipelineOptions, rulesOptions, detectionsOptions, backfillOptions) = ConfiguredOptions();
            if (backfillOptions.ValidateRelations().ToList() is { Count: > 0 } backfillProblems)
            {
                backfillProblems.ForEach(problem => error.WriteLine($"configuration: {problem}"));
                return ExitCodes.UsageOrRules;
            }

            if (parse.GetValue(detections) is { Length: > 0 } detectionFiles)
            {
                detectionsOptions.Source = RulesSource.Local;
                detectionsOptions.File = string.Join(',', detectionFiles.Select(Path.GetFullPath));
            }

            detectionsOptions.AlertsPrefix = parse.GetValue(alertsPrefix) ?? detectionsOptions.AlertsPrefix;
            outputOptions.Mode = parse.GetValue(mode) ?? outputOptions.Mode;
            outputOptions.KeyTemplate = parse.GetValue(layout) is { } named ? OutputLayouts.KeyTemplate(named) : outputOptions.KeyTemplate;
            outputOptions.Bucket = parse.GetValue(outputBucket) ?? outputOptions.Bucket;
            outputOptions.Prefix = parse.GetValue(outputPrefix) ?? outputOptions.Prefix;
            outputOptions.Encryption = parse.GetValue(encryption) ?? outputOptions.Encryption;
            outputOptions.KmsKeyId = parse.GetValue(kmsKey) ?? outputOptions.KmsKeyId;
            pipelineOptions.FilterParallelism = parse.GetValue(parallelism) ?? pipelineOptions.FilterParallelism;
            // Clients are made only once the command line is known to be usable: making one without a region fails.
            var factory = new AwsClientFactory();
            using var s3Client = new LazyClient<Amazon.S3.IAmazonS3>(factory.CreateS3);
            Core.Rules.CompiledRuleSet? ruleSet = null;
            if (action == BackfillAction.Process)
            {
                var rulesFile = parse.GetValue(rules);
                var configured = rulesOptions.Source != RulesSource.Local || rulesOptions.File.Length > 0;
                if ((rulesFile is null && !configured) || outputOptions.Bucket.Length == 0)
                {
                    error.WriteLine("backfill: rules (--rules, or CONFIG_SOURCE/CONFIG_FILE) and --output-bucket are required to process (or use --enqueue QUEUE_URL or --dry-run)");
                    return ExitCodes.UsageOrRules;
                }

                ruleSet = rulesFile is not null
                    ? RuleFiles.TryLoad(rulesFile, error)
                    : await TryLoadConfiguredRulesAsync(rulesOptions, () => s3Client.Value, factory, error, cancellationToken).ConfigureAwait(false);
                if (ruleSet is null || !OptionsCheck.TryValidate(error, pipelineOptions, outputOptions, detectionsOptions))
                {
                    return ExitCodes.UsageOrRules;
                }

                if (await TryLoadDetectionsAsync(detectionsOptions, () => s3Client.Value, factory, error, cancellationToken).ConfigureAwait(false) is not { } detectionSet)
                {
                    return ExitCodes.UsageOrRules;
                }

                ruleSet = ruleSet.WithDetections(detectionSet);
            }

            var source = $"s3://{settings.Bucket}/{CloudTrailLayout.NormalisePrefix(settings.Prefix)}";
            var target = action == BackfillAction.Enqueue
                ? $"sqs {queueUrl}"
                : $"s3://{outputOptions.Bucket}/{outputOptions.Prefix} {outputOptions.Mode.ToString().ToLowerInvariant()}";
            Amazon.S3.IAmazonS3 s3;
            try
            {
                s3 = s3Client.Value;
            }
            catch (Amazon.Runtime.AmazonClientException ex)
            {
                error.WriteLine($"backfill: cannot create the S3 client (set AWS_REGION, or AWS_ENDPOINT_URL for an emulator): {ex.Message}");
                return ExitCodes.Unavailable;
            }

            var time = TimeProvider.System;
            var resilience = AwsResilience.Create(time);

            // Ctrl-C or SIGTERM (a Spot interruption, `aws ecs stop-task`): stop listing and finish what is in flight;
            // a second signal aborts the pipeline too.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                if (!stop.IsCancellationRequested)
                {
                    error.WriteLine($"backfill: {context.Signal}: stopping the listing and finishing what is in flight (again to abort)");
                    stop.Cancel();
                }
                else
                {
                    abort.Cancel();
                }
            }

            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

            BackfillCheckpoint? loaded;
            try
            {
                var checkpointLocation = CheckpointLocation.Resolve(parse.GetValue(checkpoint), backfillOptions.CheckpointPrefix, source, target);
                var store = checkpointLocation is null ? null : CheckpointLocation.Open(checkpointLocation, () => s3, resilience);
                loaded = store is null ? BackfillCheckpoint.None(source, target) : await BackfillCheckpoint.LoadAsync(store, source, target, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is BackfillException or Amazon.Runtime.AmazonServiceException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"backfill: {ex.Message}");
                return ExitCodes.Unavailable;
            }

            using var state = loaded;
            var progress = new BackfillProgress();
            var tracker = new PartitionTracker(state, progress, error);
            var runner = new BackfillRunner(new S3ObjectLister(s3, resilience), settings, state, progress, tracker, time, saveEvery, error);
            var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var reporter = new ProgressReporter(progress, output, terminal, reportEvery, time);
            using var reporting = new CancellationTokenSource();
            var reporterTask = reporter.RunAsync(reporting.Token);
            using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var metrics = new TrailSieveMetrics(meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
            var counters = new PipelineCounters();
            using var sqs = action == BackfillAction.Enqueue ? factory.CreateSqs() : null;
            BackfillResult result;
            EnqueueTarget? enqueueTarget = null;
            try
            {
                switch (action)
                {
                    case BackfillAction.Process:
                        var objects = new S3ObjectSource(s3, resilience, metrics, time);
                        var sink = new S3ObjectSink(s3, outputOptions, resilience, metrics, time);

                        // One runtime, so threshold windows span every object this task filters; findings go to the
                        // output bucket and, as in the service, an object counts as done only once they are durable.
                        var findings = detectionsOptions.Enabled ? DetectionsSetup.ForBucket(detectionsOptions, sink) : null;
                        var pipeline = new FilterPipeline(
                            pipelineOptions, outputOptions, new StaticRuleSetProvider(ruleSet!), sink,
                            counters, observer: null, time, NullLoggerFactory.Instance, detections: findings);
                        using (var processTarget = new ProcessTarget(pipeline, objects.Create, tracker, abort.Token))
                        {
                            result = await runner.RunAsync(processTarget, stop.Token).ConfigureAwait(false);
                        }

                        break;
                    case BackfillAction.Enqueue:
                        enqueueTarget = new EnqueueTarget(new SqsMessageSender(sqs!, queueUrl!, resilience), tracker, time);
                        using (enqueueTarget)
                        {
                            result = await runner.RunAsync(enqueueTarget, stop.Token).ConfigureAwait(false);
                        }

                        break;
                    default:
                        result = await runner.RunAsync(null, stop.Token).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception ex) when (ex is BackfillException or Amazon.Runtime.AmazonServiceException)
            {
                await reporting.CancelAsync().ConfigureAwait(false);
                await reporterTask.ConfigureAwait(false);
                reporter.Clear();
                error.WriteLine($"backfill: {ex.Message}");
                return ExitCodes.Unavailable;
            }

            await reporting.CancelAsync().ConfigureAwait(false);
            await reporterTask.ConfigureAwait(false);
            reporter.Clear();
            WriteSummary(output, action, progress, counters, state, enqueueTarget, parse.GetValue(rate), parse.GetValue(tasks), queueUrl, detectionsOptions.Enabled);
            if (!result.Interrupted && progress.FoundNothing)
            {
                error.WriteLine(
                    $"backfill: no CloudTrail object found in {source} ({settings.DescribeFilters()}; {progress.Partitions:N0} day partitions looked at): "
                    + "check --bucket, --prefix (AWSLogs/[o-org/]<account>/CloudTrail/<region>/yyyy/MM/dd/ at any depth) and the filters");
                return ExitCodes.NothingFound;
            }
            if (result.Interrupted)
            {
                error.WriteLine(state.Location is { } location
                    ? $"backfill: interrupted; rerun the same command to go on from the checkpoint {location}"
                    : "backfill: interrupted; without --checkpoint a rerun starts from the beginning");
                return ExitCodes.Interrupted;
            }

            return progress.ObjectsFailed > 0 || counters.FilesFailed > 0 ? ExitCodes.InputFailed : ExitCodes.Success;
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
