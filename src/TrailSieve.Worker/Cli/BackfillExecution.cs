using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Layout;
using TrailSieve.Core.Rules;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// One backfill, once its command line is checked: the host for logs and metrics, the rules, the checkpoint, the walk
/// with its target and progress, the summary and the exit code.
/// </summary>
internal sealed class BackfillExecution(BackfillRequest request, TextWriter output, TextWriter error)
{
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        // Taken for the whole command, host shutdown included: a SIGTERM after the work (while the last metrics are
        // written) must not end the process with the runtime's 143 instead of the command's own exit code.
        using var signals = new BackfillSignals(error, cancellationToken);
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var resource = await EcsTaskMetadata.ReadAsync(Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        using var host = BackfillHost.Build(Environment.GetEnvironmentVariable, terminal, resource);
        BackfillConfiguration configured;
        try
        {
            configured = BackfillConfiguration.From(host.Services.GetRequiredService<IConfiguration>(), request);
        }
        catch (ConfigurationException ex)
        {
            return ConfigurationErrors.Write(error, ex.Problems);
        }

        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StartupCheck.ProblemsOf(ex) is { } problems)
        {
            return ConfigurationErrors.Write(error, problems);
        }

        try
        {
            return await RunAsync(configured, host.Services, terminal, signals, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            signals.Finish();
            // The EMF publisher writes the last interval when it stops: before the process exits, whatever the outcome.
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A failure that ends the run with exit code 3: the source, queue or checkpoint cannot be used (a
    /// <see cref="BackfillException"/> names it), or AWS refuses, keeps failing past the retries, or cannot be reached
    /// at all; <see cref="AwsErrors.Explain"/> says which. Anything else is a bug and is left to surface as one.
    /// </summary>
    private static bool IsUnusable(Exception exception) =>
        exception is BackfillException or IOException or UnauthorizedAccessException || AwsErrors.IsAwsFailure(exception);

    private async Task<int> RunAsync(BackfillConfiguration configured, IServiceProvider services, bool terminal, BackfillSignals signals, CancellationToken cancellationToken)
    {
        var settings = request.Settings with { Keys = configured.Guard };
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var backfillLog = loggerFactory.CreateLogger(typeof(BackfillRunner).FullName!);
        var time = services.GetRequiredService<TimeProvider>();
        var metrics = services.GetRequiredService<TrailSieveMetrics>();

        // Clients are made only once the command line is known to be usable: making one without a region fails.
        using var adapters = new BackfillAdapters(time, metrics, configured.Guard);
        CompiledRuleSet? ruleSet = null;
        if (request.Action == BackfillAction.Process)
        {
            ruleSet = await new BackfillRules(request, configured, adapters.ConfigText, error).TryLoadAsync(cancellationToken).ConfigureAwait(false);
            if (ruleSet is null)
            {
                return ExitCodes.UsageOrRules;
            }
        }

        var source = $"s3://{settings.Bucket}/{CloudTrailLayout.NormalisePrefix(settings.Prefix)}";

        // A checkpoint belongs to its key filter too: a partition it has as done holds only the keys that filter let
        // through, so a run with another filter must not skip it. Without a filter the identity is the source alone,
        // as before the filter existed.
        var identity = settings.Keys.DescribeKeys() is { } keys ? $"{source} {keys}" : source;
        var target = request.Action == BackfillAction.Enqueue
            ? $"sqs {request.QueueUrl}"
            : $"s3://{configured.Output.Bucket}/{configured.Output.Prefix} {configured.Output.Mode.ToString().ToLowerInvariant()}";
        try
        {
            adapters.ConnectS3();
        }
        catch (Exception ex) when (AwsErrors.IsAwsFailure(ex))
        {
            return Unavailable($"cannot create the S3 client (set AWS_REGION, or AWS_ENDPOINT_URL for an emulator): {ex.Message}", backfillLog);
        }

        BackfillCheckpoint loaded;
        try
        {
            var location = CheckpointLocation.Resolve(request.Checkpoint, configured.Backfill.CheckpointPrefix, identity, target);
            loaded = location is null
                ? BackfillCheckpoint.None(identity, target)
                : await BackfillCheckpoint.LoadAsync(adapters.Checkpoint(location), identity, target, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnusable(ex))
        {
            return Unavailable(AwsErrors.Explain(ex), backfillLog);
        }

        using var state = loaded;
        var progress = new BackfillProgress(time);
        var tracker = new PartitionTracker(state, progress, error);
        var runner = new BackfillRunner(adapters.Lister, settings, state, progress, tracker, time, request.CheckpointInterval, error);
        var reporter = new ProgressReporter(progress, output, terminal, request.ProgressInterval, time, backfillLog);
        var counters = new PipelineCounters(metrics);
        long sent = 0;
        BackfillResult result;
        using var reporting = new CancellationTokenSource();
        var reporterTask = reporter.RunAsync(reporting.Token);
        try
        {
            switch (request.Action)
            {
                case BackfillAction.Process:
                    var sink = adapters.Sink(configured.Output);

                    // One runtime, so threshold windows span every object this task filters; findings go to the
                    // output bucket and, as in the service, an object counts as done only once they are durable.
                    var findings = configured.Detections.Enabled ? DetectionsSetup.ForBucket(configured.Detections, sink) : null;
                    var stages = PipelineStages.Create(
                        configured.Pipeline, configured.Output, new StaticRuleSetProvider(ruleSet!), sink, counters, new FlushSignal(), time, loggerFactory.CreateLogger<PipelineStages>(), findings);
                    var pipeline = new LocalPipeline(stages, configured.Pipeline);
                    using (var processTarget = new ProcessTarget(pipeline, (reference, item) => adapters.Objects.Create(reference, item), tracker, signals.Abort))
                    {
                        result = await runner.RunAsync(processTarget, signals.Stop).ConfigureAwait(false);
                    }

                    break;
                case BackfillAction.Enqueue:
                    using (var enqueued = new EnqueueTarget(adapters.Sender(request.QueueUrl!), tracker, time, signals.Abort))
                    {
                        try
                        {
                            result = await runner.RunAsync(enqueued, signals.Stop).ConfigureAwait(false);
                        }
                        finally
                        {
                            sent = enqueued.Sent;
                        }
                    }

                    break;
                default:
                    result = await runner.RunAsync(null, signals.Stop).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (signals.Aborted)
        {
            // Aborted by a second signal: what finished is in the saved checkpoint, the rest is for a rerun.
            result = new BackfillResult(Interrupted: true);
        }
        catch (Exception ex) when (IsUnusable(ex))
        {
            return Unavailable(AwsErrors.Explain(ex), backfillLog);
        }
        finally
        {
            await reporting.CancelAsync().ConfigureAwait(false);
            await reporterTask.ConfigureAwait(false);
            reporter.Clear();
        }

        new BackfillSummary(request with { Settings = settings }, configured, progress, counters, state).Write(output, sent);
        if (!result.Interrupted && progress.FoundNothing)
        {
            Backfill.Log.FoundNothing(backfillLog, source, settings.DescribeFilters(), progress.Partitions);
            error.WriteLine(
                $"backfill: no CloudTrail object found in {source} ({settings.DescribeFilters()}; {progress.Partitions:N0} day partitions looked at): "
                + "check --bucket, --prefix (AWSLogs/[o-org/]<account>/CloudTrail/<region>/yyyy/MM/dd/ at any depth) and the filters"
                + (progress.ObjectsExcluded > 0 ? $"; the key filter skipped all {progress.ObjectsExcluded:N0} objects listed" : string.Empty));
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

    /// <summary>Says why the run cannot go on, on stderr and as a Critical log line (which the task errors alarm counts), and gives exit code 3.</summary>
    private int Unavailable(string reason, ILogger logger)
    {
        error.WriteLine($"backfill: {reason}");
        Backfill.Log.Stopped(logger, reason);
        return ExitCodes.Unavailable;
    }
}
