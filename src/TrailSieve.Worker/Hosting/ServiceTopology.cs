using Microsoft.Extensions.Logging;
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
/// The service (<c>trailsieve run</c>), composed in one place: every channel, every stage, who completes what.
/// <code>
/// SqsReceiver (N) ─► objects ─► ReadStage (K) ─► chunks ─► FilterStage (P) ─► filtered ─► WriteStage (1) ─► S3
///                                                                                          └─► outcomes ─► MessageSettler ─┬─► deletes ─► Acknowledger
///   (test events ─► deletes, unknown bodies ─► releases)       InFlightRegistry: room for receiving;                               └─► releases ─► MessageReleaser
///                                  out of room ─► FlushSignal ─► WriteStage
///   VisibilityHeartbeat keeps in-flight messages invisible; rules refresh, liveness beat and the idle watch run beside
/// </code>
/// Shutdown (SIGTERM, or <c>--until-idle</c>): receiving stops and the receivers complete objects; each stage then
/// finishes what it holds and completes its output (the writer commits every open batch), down to the acknowledger
/// deleting what became durable; all within the drain timeout. Whatever is still in flight then (not durable, or its
/// delete cut short) is released (visibility 0), so another task takes it at once instead of after its visibility
/// timeout. A stage that faults cancels the others.
/// </summary>
internal sealed class ServiceTopology(
    ServiceSettings settings,
    ReloadingRuleSetProvider rules,
    IQueueClient queue,
    IObjectSink sink,
    S3ObjectSource source,
    PipelineCounters counters,
    ServiceCounters serviceCounters,
    TrailSieveMetrics metrics,
    LivenessSignal liveness,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    /// <summary>Runs until drained; false when the drain timeout cut it short. Faults (a fatal queue error among them) are thrown.</summary>
    public async Task<bool> RunAsync(CancellationToken stoppingToken)
    {
        var (sqs, pipeline) = (settings.Sqs, settings.Pipeline);
        var logger = loggerFactory.CreateLogger<ServiceTopology>();

        // The channels, in the order items flow; all bounded, FullMode Wait. Completed by:
        var objects = PipelineChannels.Bounded<SourceObject>(pipeline.ObjectQueueCapacity);                          // the receivers
        var chunks = PipelineChannels.Bounded<ReadChunk>(pipeline.ChunkQueueCapacity);                                // the readers
        var filtered = PipelineChannels.Bounded<FilteredChunk>(pipeline.ChunkQueueCapacity, singleReader: true);       // the filter workers
        var outcomes = PipelineChannels.Bounded<ObjectOutcome>(PipelineChannels.OutcomeCapacity, true, true);          // the writer
        var deletes = PipelineChannels.Bounded<InFlightMessage>(sqs.MaxInFlightMessages, singleReader: true);          // the settler
        var releases = PipelineChannels.Bounded<MessageRelease>(sqs.MaxInFlightMessages, true, true);                  // the settler
        var flush = new FlushSignal();
        using var registry = new InFlightRegistry(sqs.MaxInFlightMessages, flush);
        var idle = new IdleTracker(timeProvider);

        // The stages. Findings go to the output bucket under Detections:AlertsPrefix; the rules provider compiled the detections in.
        var detections = settings.Detections.Enabled ? DetectionsSetup.ForBucket(settings.Detections, sink) : null;
        var stages = PipelineStages.Create(pipeline, settings.Output, rules, sink, counters, flush, timeProvider, loggerFactory.CreateLogger<PipelineStages>(), detections);
        var receiver = new SqsReceiver(
            queue, registry, (reference, message) => source.Create(reference, message, message.Activity?.Context ?? default),
            sqs.Receivers, ReceiveWait(sqs), sqs.VisibilityTimeout, idle, timeProvider, serviceCounters, loggerFactory.CreateLogger<SqsReceiver>());
        var settler = new MessageSettler(new ReleasePolicy(sqs.RetryBackoffDelays()), serviceCounters, loggerFactory.CreateLogger<MessageSettler>());
        var releaser = new MessageReleaser(queue, registry, idle, timeProvider, serviceCounters, loggerFactory.CreateLogger<MessageReleaser>());
        var acknowledger = new Acknowledger(queue, registry, sqs.DeleteBatchDelay, timeProvider, serviceCounters, loggerFactory.CreateLogger<Acknowledger>());
        var heartbeat = new VisibilityHeartbeat(
            queue, registry, sqs.HeartbeatInterval, sqs.ExtensionThreshold, sqs.VisibilityTimeout, timeProvider, serviceCounters, loggerFactory.CreateLogger<VisibilityHeartbeat>());
        metrics.ObserveService(() => OldestInFlightAge(registry), () => registry.Count);
        metrics.ObservePipeline(() => PipelineChannels.Depths(
            [("objects", () => objects.Reader.Count), ("chunks", () => chunks.Reader.Count), ("filtered", () => filtered.Reader.Count)]));

        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var stopProcessing = new CancellationTokenSource();
        using var stopBackground = new CancellationTokenSource();
        // SIGTERM drains within the deadline; an --until-idle stop has no deadline (everything left is committed).
        using var drainDeadline = stoppingToken.Register(() =>
        {
            Log.Draining(logger, sqs.DrainTimeout);
            stopProcessing.CancelAfter(sqs.DrainTimeout);
        });

        Task Stage(Task stage) => StageWorkers.CancelOnFaultAsync(stage, stopReceiving, stopProcessing);
        var running = Task.WhenAll(
            Stage(receiver.RunAsync(objects.Writer, deletes.Writer, releases.Writer, stopReceiving.Token)),
            Stage(stages.Read.RunAsync(objects.Reader, chunks.Writer, stopProcessing.Token)),
            Stage(stages.Filter.RunAsync(chunks.Reader, filtered.Writer, stopProcessing.Token)),
            Stage(stages.Write.RunAsync(filtered.Reader, outcomes.Writer, stopProcessing.Token)),
            Stage(settler.RunAsync(outcomes.Reader, deletes.Writer, releases.Writer, stopProcessing.Token)),
            Stage(acknowledger.RunAsync(deletes.Reader, stopProcessing.Token)),
            Stage(releaser.RunAsync(releases.Reader, stopProcessing.Token)));
        var background = Task.WhenAll(
            heartbeat.RunAsync(stopBackground.Token),
            rules.RefreshEveryAsync(settings.Rules.RefreshInterval, timeProvider, stopBackground.Token),
            liveness.BeatUntilCancelledAsync(stopBackground.Token),
            sqs.UntilIdle is { } untilIdle ? StopWhenIdleAsync(idle, registry, flush, untilIdle, stopReceiving, logger, stopBackground.Token) : Task.CompletedTask);
        try
        {
            await running.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stopProcessing.IsCancellationRequested && !running.IsFaulted)
        {
            return false;
        }
        finally
        {
            await stopReceiving.CancelAsync().ConfigureAwait(false);
            await stopProcessing.CancelAsync().ConfigureAwait(false);
            await stopBackground.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running, background).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            await ReleaseLeftoversAsync(registry, releaser, logger).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes every message still in flight visible now: it will not be acknowledged by this task (the drain ran out,
    /// a stage faulted, or its delete was cut short), and another task should not have to wait out its visibility
    /// timeout. Bounded by <see cref="LeftoverReleaseTimeout"/>, inside the few seconds between the drain timeout and
    /// ECS's stopTimeout; a release that does not make it only means the message comes back later.
    /// </summary>
    private async Task ReleaseLeftoversAsync(InFlightRegistry registry, MessageReleaser releaser, ILogger logger)
    {
        var leftovers = registry.Snapshot().ToList();
        if (leftovers.Count == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(LeftoverReleaseTimeout, timeProvider);
        try
        {
            var released = await releaser.ReleaseAsync(leftovers, TimeSpan.Zero, timeout.Token).ConfigureAwait(false);
            Log.ReleasedAtShutdown(logger, released, leftovers.Count);
        }
        catch (OperationCanceledException)
        {
            Log.ReleasedAtShutdown(logger, 0, leftovers.Count);
        }
    }

    /// <summary>
    /// The long-poll wait; with --until-idle at most the idle time, since only an empty receive shows the queue is
    /// empty (a 20 s poll would add 20 s to every one-off run).
    /// </summary>
    private static TimeSpan ReceiveWait(SqsOptions sqs) =>
        sqs.UntilIdle is { } idle && idle < sqs.WaitTime ? TimeSpan.FromSeconds(Math.Max(1, Math.Floor(idle.TotalSeconds))) : sqs.WaitTime;

    /// <summary>
    /// Stops receiving once nothing can still come to this worker: the queue has been idle for <paramref name="untilIdle"/>
    /// (which already waits for every message this worker released to become visible again and be received or be
    /// gone), and nothing is in flight. Messages in flight while the queue is idle are waiting for their batches: the
    /// writer is asked to commit them now, and receiving goes on, since a failed commit releases its messages back.
    /// </summary>
    private async Task StopWhenIdleAsync(
        IdleTracker idle, InFlightRegistry registry, FlushSignal flush, TimeSpan untilIdle, CancellationTokenSource stopReceiving, ILogger logger, CancellationToken cancellationToken)
    {
        while (await idle.WaitUntilIdleAsync(untilIdle, cancellationToken).ConfigureAwait(false))
        {
            if (registry.Count == 0)
            {
                Log.Idle(logger, untilIdle);
                await stopReceiving.CancelAsync().ConfigureAwait(false);
                return;
            }

            flush.Request();
            await Task.Delay(IdlePoll(untilIdle), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan IdlePoll(TimeSpan untilIdle) => TimeSpan.FromMilliseconds(Math.Clamp(untilIdle.TotalMilliseconds / 4, 50, 1000));

    /// <summary>How long shutdown spends releasing what is left in flight, at most.</summary>
    internal static readonly TimeSpan LeftoverReleaseTimeout = TimeSpan.FromSeconds(4);

    private double OldestInFlightAge(InFlightRegistry registry)
    {
        var oldest = long.MaxValue;
        foreach (var message in registry.Snapshot())
        {
            oldest = Math.Min(oldest, message.ReceivedTimestamp);
        }

        return oldest == long.MaxValue ? 0 : timeProvider.GetElapsedTime(oldest).TotalSeconds;
    }
}
