using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrailSieve.Core.Layout;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary>Backfill's run: the host for logs and metrics, the AWS clients, the checkpoint, the target, the exit code.</summary>
internal static partial class BackfillCommand
{
    private static async Task<int> ExecuteAsync(BackfillRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var resource = await EcsTaskMetadata.ReadAsync(Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        using var host = BackfillHost.Build(Environment.GetEnvironmentVariable, terminal, resource);
        var configured = ConfiguredOptions(host.Services.GetRequiredService<IConfiguration>(), request);
        if (configured.Backfill.ValidateRelations().ToList() is { Count: > 0 } problems)
        {
            problems.ForEach(problem => error.WriteLine($"configuration: {problem}"));
            return ExitCodes.UsageOrRules;
        }

        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                error.WriteLine($"configuration: {failure}");
            }

            return ExitCodes.UsageOrRules;
        }

        try
        {
            return await RunAsync(request, configured, host.Services, output, error, terminal, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The EMF publisher writes the last interval when it stops: before the process exits, whatever the outcome.
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunAsync(
        BackfillRequest request, Configured configured, IServiceProvider services, TextWriter output, TextWriter error, bool terminal, CancellationToken cancellationToken)
    {
        var (settings, action) = (request.Settings, request.Action);
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var backfillLog = loggerFactory.CreateLogger(typeof(BackfillRunner).FullName!);
        var time = services.GetRequiredService<TimeProvider>();

        // Clients are made only once the command line is known to be usable: making one without a region fails.
        var factory = new AwsClientFactory();
        using var s3Client = new LazyClient<IAmazonS3>(factory.CreateS3);
        Core.Rules.CompiledRuleSet? ruleSet = null;
        if (action == BackfillAction.Process)
        {
            ruleSet = await TryLoadProcessingRulesAsync(request, configured, () => s3Client.Value, factory, error, cancellationToken).ConfigureAwait(false);
            if (ruleSet is null)
            {
                return ExitCodes.UsageOrRules;
            }
        }

        var source = $"s3://{settings.Bucket}/{CloudTrailLayout.NormalisePrefix(settings.Prefix)}";
        var target = action == BackfillAction.Enqueue
            ? $"sqs {request.QueueUrl}"
            : $"s3://{configured.Output.Bucket}/{configured.Output.Prefix} {configured.Output.Mode.ToString().ToLowerInvariant()}";
        IAmazonS3 s3;
        try
        {
            s3 = s3Client.Value;
        }
        catch (AmazonClientException ex)
        {
            return Unavailable($"cannot create the S3 client (set AWS_REGION, or AWS_ENDPOINT_URL for an emulator): {ex.Message}", error, backfillLog);
        }

        var resilience = AwsResilience.Create(time);

        // Ctrl-C or SIGTERM (a Spot interruption, `aws ecs stop-task`): stop listing and finish what is in flight;
        // a second signal aborts the pipeline and the sends too.
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
                error.WriteLine($"backfill: {context.Signal} again: aborting what is in flight; only what finished is checkpointed");
                abort.Cancel();
            }
        }

        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        BackfillCheckpoint loaded;
        try
        {
            var location = CheckpointLocation.Resolve(request.Checkpoint, configured.Backfill.CheckpointPrefix, source, target);
            loaded = location is null
                ? BackfillCheckpoint.None(source, target)
                : await BackfillCheckpoint.LoadAsync(CheckpointLocation.Open(location, () => s3, resilience), source, target, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnusable(ex))
        {
            return Unavailable(AwsErrors.Explain(ex), error, backfillLog);
        }

        using var state = loaded;
        var progress = new BackfillProgress(time);
        var tracker = new PartitionTracker(state, progress, error);
        var runner = new BackfillRunner(new S3ObjectLister(s3, resilience), settings, state, progress, tracker, time, request.CheckpointInterval, error);
        var reporter = new ProgressReporter(progress, output, terminal, request.ProgressInterval, time, backfillLog);
        var metrics = services.GetRequiredService<TrailSieveMetrics>();
        var counters = new PipelineCounters(metrics);
        EnqueueTarget? enqueued = null;
        BackfillResult result;
        using var reporting = new CancellationTokenSource();
        var reporterTask = reporter.RunAsync(reporting.Token);
        try
        {
            switch (action)
            {
                case BackfillAction.Process:
                    var objects = new S3ObjectSource(s3, resilience, metrics, time);
                    var sink = new S3ObjectSink(s3, configured.Output, resilience, metrics, time);

                    // One runtime, so threshold windows span every object this task filters; findings go to the
                    // output bucket and, as in the service, an object counts as done only once they are durable.
                    var findings = configured.Detections.Enabled ? DetectionsSetup.ForBucket(configured.Detections, sink) : null;
                    var pipeline = new FilterPipeline(
                        configured.Pipeline, configured.Output, new StaticRuleSetProvider(ruleSet!), sink, counters, observer: null, time, loggerFactory, detections: findings);
                    using (var processTarget = new ProcessTarget(pipeline, objects.Create, tracker, abort.Token))
                    {
                        result = await runner.RunAsync(processTarget, stop.Token).ConfigureAwait(false);
                    }

                    break;
                case BackfillAction.Enqueue:
                    using (var sqs = factory.CreateSqs())
                    {
                        enqueued = new EnqueueTarget(new SqsMessageSender(sqs, request.QueueUrl!), tracker, time, abort.Token);
                        using (enqueued)
                        {
                            result = await runner.RunAsync(enqueued, stop.Token).ConfigureAwait(false);
                        }
                    }

                    break;
                default:
                    result = await runner.RunAsync(null, stop.Token).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Aborted by a second signal: what finished is in the saved checkpoint, the rest is for a rerun.
            result = new BackfillResult(Interrupted: true);
        }
        catch (Exception ex) when (IsUnusable(ex))
        {
            return Unavailable(AwsErrors.Explain(ex), error, backfillLog);
        }
        finally
        {
            await reporting.CancelAsync().ConfigureAwait(false);
            await reporterTask.ConfigureAwait(false);
            reporter.Clear();
        }

        WriteSummary(output, action, progress, counters, state, enqueued, request.RateMBps, request.ObjectsPerSecond ?? DefaultObjectsPerSecond(configured.Pipeline.ReadParallelism), request.Tasks, request.QueueUrl, configured.Detections.Enabled);
        if (!result.Interrupted && progress.FoundNothing)
        {
            Backfill.Log.FoundNothing(backfillLog, source, settings.DescribeFilters(), progress.Partitions);
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
    }

    /// <summary>The rules and detections to process with, or null (after saying why) when they cannot be used.</summary>
    private static async Task<Core.Rules.CompiledRuleSet?> TryLoadProcessingRulesAsync(
        BackfillRequest request, Configured configured, Func<IAmazonS3> s3, AwsClientFactory factory, TextWriter error, CancellationToken cancellationToken)
    {
        var configuredRules = configured.Rules.Source != RulesSource.Local || configured.Rules.File.Length > 0;
        if ((request.RulesFile is null && !configuredRules) || configured.Output.Bucket.Length == 0)
        {
            error.WriteLine("backfill: rules (--rules, or CONFIG_SOURCE/CONFIG_FILE) and --output-bucket are required to process (or use --enqueue QUEUE_URL or --dry-run)");
            return null;
        }

        var ruleSet = request.RulesFile is not null
            ? RuleFiles.TryLoad(request.RulesFile, error)
            : await TryLoadConfiguredRulesAsync(configured.Rules, s3, factory, error, cancellationToken).ConfigureAwait(false);
        if (ruleSet is null || !OptionsCheck.TryValidate(error, configured.Pipeline, configured.Output, configured.Detections))
        {
            return null;
        }

        return await TryLoadDetectionsAsync(configured.Detections, s3, factory, error, cancellationToken).ConfigureAwait(false) is { } detectionSet
            ? ruleSet.WithDetections(detectionSet)
            : null;
    }

    /// <summary>Says why the run cannot go on, on stderr and as a Critical log line (which the task errors alarm counts), and gives exit code 3.</summary>
    private static int Unavailable(string reason, TextWriter error, ILogger logger)
    {
        error.WriteLine($"backfill: {reason}");
        Backfill.Log.Stopped(logger, reason);
        return ExitCodes.Unavailable;
    }

    /// <summary>
    /// A failure that ends the run with exit code 3: the source, queue or checkpoint cannot be used (a
    /// <see cref="BackfillException"/> names it), or AWS refuses, keeps failing past the retries, or cannot be reached
    /// at all (the SDK lets a refused connection through as <see cref="HttpRequestException"/>);
    /// <see cref="AwsErrors.Explain"/> says which. Anything else is a bug and is left to surface as one.
    /// </summary>
    private static bool IsUnusable(Exception exception) =>
        exception is BackfillException or IOException or UnauthorizedAccessException || AwsErrors.IsAwsFailure(exception);
}
