using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Rules;
using TrailSieve.Worker.S3;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The service (<c>trailsieve run</c>), composed in one place:
/// <code>
/// SqsReceiver (N) ─► objects ─► FilterPipeline (read K ─► filter P ─► write 1 ─► S3) ─► outcomes ─► InFlightRegistry ─► Acknowledger (DeleteMessageBatch)
///                                                          VisibilityHeartbeat (ChangeMessageVisibilityBatch) keeps in-flight messages invisible
/// </code>
/// Shutdown (SIGTERM, or <c>--until-idle</c>): receiving stops, the receivers complete the object channel, the
/// pipeline finishes what it holds and commits every open batch, the acknowledger deletes what became durable; all
/// within the drain timeout, after which whatever is left is simply not deleted and comes back from the queue.
/// </summary>
internal sealed class QueueWorker(
    IOptions<SqsOptions> sqsOptions,
    IOptions<PipelineOptions> pipelineOptions,
    IOptions<OutputOptions> outputOptions,
    ReloadingRuleSetProvider rules,
    RulesTextSource rulesSource,
    IOptions<RulesOptions> rulesOptions,
    IOptions<HealthOptions> healthOptions,
    IOptions<DetectionsOptions> detectionsOptions,
    IQueueClient queue,
    IObjectSink sink,
    S3ObjectSource source,
    PipelineCounters counters,
    ServiceCounters serviceCounters,
    TrailSieveMetrics metrics,
    ServiceExit exit,
    LivenessSignal liveness,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private static readonly TimeSpan s_beatInterval = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger = loggerFactory.CreateLogger<QueueWorker>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sqs = sqsOptions.Value;
        var output = outputOptions.Value;
        Log.EffectiveConfiguration(_logger, EffectiveConfiguration.Describe(sqs, pipelineOptions.Value, output, rulesOptions.Value, healthOptions.Value, detectionsOptions.Value));
        try
        {
            await rules.LoadAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RulesUnavailable(_logger, rulesSource.Describe(), ex.Message);
            Stop(ServiceExit.ConfigurationError);
            return;
        }

        Log.Started(_logger, sqs.QueueUrl, output.Bucket, output.Prefix, output.Mode.ToString(), sqs.Receivers, pipelineOptions.Value.FilterParallelism);
        // Findings go to the output bucket under Detections:AlertsPrefix; the rules provider compiled the detections in.
        var detections = detectionsOptions.Value.Enabled ? DetectionsSetup.ForBucket(detectionsOptions.Value, sink) : null;
        var pipeline = new FilterPipeline(pipelineOptions.Value, output, rules, sink, counters, observer: null, timeProvider, loggerFactory, detections: detections);
        using var registry = new InFlightRegistry(sqs.MaxInFlightMessages, OnAbandoned, pipeline.RequestFlush);
        var idle = new IdleTracker(timeProvider);
        metrics.ObserveService(() => OldestInFlightAge(registry), () => registry.Count);
        metrics.ObservePipeline(pipeline.QueueDepths);
        var objects = pipeline.CreateObjectChannel();
        var receiver = new SqsReceiver(
            queue, registry, source.Create, sqs.Receivers, ReceiveWait(sqs), sqs.VisibilityTimeout, idle, timeProvider, serviceCounters, loggerFactory.CreateLogger<SqsReceiver>());
        var acknowledger = new Acknowledger(queue, registry, sqs.DeleteBatchDelay, timeProvider, serviceCounters, loggerFactory.CreateLogger<Acknowledger>());
        var heartbeat = new VisibilityHeartbeat(
            queue, registry, sqs.HeartbeatInterval, sqs.ExtensionThreshold, sqs.VisibilityTimeout, timeProvider, serviceCounters, loggerFactory.CreateLogger<VisibilityHeartbeat>());

        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var stopProcessing = new CancellationTokenSource();
        using var stopBackground = new CancellationTokenSource();
        // SIGTERM drains within the deadline; an --until-idle stop has no deadline (everything left is flushed).
        using var drainDeadline = stoppingToken.Register(() =>
        {
            Log.Draining(_logger, sqs.DrainTimeout);
            stopProcessing.CancelAfter(sqs.DrainTimeout);
        });

        var receiving = receiver.RunAsync(objects.Writer, stopReceiving.Token);
        var processing = pipeline.RunAsync(objects.Reader, stopProcessing.Token);
        var acknowledging = acknowledger.RunAsync(stopProcessing.Token);
        var background = Task.WhenAll(
            heartbeat.RunAsync(stopBackground.Token),
            RefreshRulesAsync(rulesOptions.Value.RefreshInterval, stopBackground.Token),
            BeatWhileRunningAsync(stopBackground.Token),
            sqs.UntilIdle is { } untilIdle ? StopWhenIdleAsync(untilIdle, idle, stopReceiving, stopBackground.Token) : Task.CompletedTask);
        try
        {
            await receiving.ConfigureAwait(false);
            await processing.ConfigureAwait(false);
            registry.CompleteDeletes();
            await acknowledging.ConfigureAwait(false);
            Log.Stopped(_logger, serviceCounters.Received, serviceCounters.Deleted, serviceCounters.Abandoned, counters.Records, counters.Kept);
            if (sqs.UntilIdle is not null)
            {
                // Drained already: the host's own stop must not start a drain deadline.
                drainDeadline.Unregister();
                lifetime.StopApplication();
            }
        }
        catch (Exception ex) when (AwsErrors.IsFatalQueueError(ex))
        {
            Log.QueueUnusable(_logger, sqs.QueueUrl, ex.Message);
            Stop(ServiceExit.Fatal);
        }
        catch (OperationCanceledException) when (stopProcessing.IsCancellationRequested)
        {
            Log.DrainTimedOut(_logger);
        }
        catch (Exception ex)
        {
            Log.Faulted(_logger, ex);
            Stop(ServiceExit.Fatal);
        }
        finally
        {
            await stopReceiving.CancelAsync().ConfigureAwait(false);
            await stopProcessing.CancelAsync().ConfigureAwait(false);
            await stopBackground.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(receiving, processing, acknowledging, background).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The long-poll wait; with --until-idle at most the idle time, since only an empty receive shows the queue is
    /// empty (a 20 s poll would add 20 s to every one-off run).
    /// </summary>
    private static TimeSpan ReceiveWait(SqsOptions sqs) =>
        sqs.UntilIdle is { } idle && idle < sqs.WaitTime ? TimeSpan.FromSeconds(Math.Max(1, Math.Floor(idle.TotalSeconds))) : sqs.WaitTime;

    private double OldestInFlightAge(InFlightRegistry registry)
    {
        var oldest = long.MaxValue;
        foreach (var message in registry.Snapshot())
        {
            oldest = Math.Min(oldest, message.ReceivedTimestamp);
        }

        return oldest == long.MaxValue ? 0 : timeProvider.GetElapsedTime(oldest).TotalSeconds;
    }

    private void Stop(int code)
    {
        exit.Code = code;
        lifetime.StopApplication();
    }

    private void OnAbandoned(InFlightMessage message)
    {
        serviceCounters.AddAbandoned();
        var failure = message.FirstFailure;
        Sqs.Log.MessageAbandoned(
            _logger, message.Message.MessageId, message.Message.ReceiveCount, failure?.Work.Name ?? "?", failure?.ErrorType ?? "?", failure?.Error ?? "?");
    }

    private async Task RefreshRulesAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await rules.ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Beats <see cref="LivenessSignal"/> until the stages have stopped; a process whose loops no longer get to run
    /// stops beating, and its heartbeat file goes stale. The interval stays below the smallest Health:MaxAge (5 s).
    /// </summary>
    private async Task BeatWhileRunningAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            liveness.Beat();
            try
            {
                await Task.Delay(s_beatInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StopWhenIdleAsync(TimeSpan untilIdle, IdleTracker idle, CancellationTokenSource stopReceiving, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(untilIdle.TotalMilliseconds / 4, 50, 1000));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(poll, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Messages still in flight then are only waiting for their batches, which the drain commits.
            if (idle.IdleFor >= untilIdle)
            {
                Log.Idle(_logger, untilIdle);
                await stopReceiving.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
