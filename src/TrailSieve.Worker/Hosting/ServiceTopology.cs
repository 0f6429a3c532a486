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
///                                                                                          └─► outcomes ─► MessageSettler ─► deletes ─► Acknowledger
///   (test events ─► deletes)       InFlightRegistry: room for receiving; out of room ─► FlushSignal ─► WriteStage
///   VisibilityHeartbeat keeps in-flight messages invisible; rules refresh, liveness beat and the idle watch run beside
/// </code>
/// Shutdown (SIGTERM, or <c>--until-idle</c>): receiving stops and the receivers complete objects; each stage then
/// finishes what it holds and completes its output (the writer commits every open batch), down to the acknowledger
/// deleting what became durable; all within the drain timeout, after which whatever is left is not deleted and comes
/// back from the queue. A stage that faults cancels the others.
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
        var flush = new FlushSignal();
        using var registry = new InFlightRegistry(sqs.MaxInFlightMessages, flush);
        var idle = new IdleTracker(timeProvider);

        // The stages. Findings go to the output bucket under Detections:AlertsPrefix; the rules provider compiled the detections in.
        var detections = settings.Detections.Enabled ? DetectionsSetup.ForBucket(settings.Detections, sink) : null;
        var stages = PipelineStages.Create(pipeline, settings.Output, rules, sink, counters, flush, timeProvider, loggerFactory.CreateLogger<PipelineStages>(), detections);
        var receiver = new SqsReceiver(
            queue, registry, (reference, message) => source.Create(reference, message, message.Activity?.Context ?? default),
            sqs.Receivers, ReceiveWait(sqs), sqs.VisibilityTimeout, idle, timeProvider, serviceCounters, loggerFactory.CreateLogger<SqsReceiver>());
        var settler = new MessageSettler(registry, serviceCounters, loggerFactory.CreateLogger<MessageSettler>());
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
            Stage(receiver.RunAsync(objects.Writer, deletes.Writer, stopReceiving.Token)),
            Stage(stages.Read.RunAsync(objects.Reader, chunks.Writer, stopProcessing.Token)),
            Stage(stages.Filter.RunAsync(chunks.Reader, filtered.Writer, stopProcessing.Token)),
            Stage(stages.Write.RunAsync(filtered.Reader, outcomes.Writer, stopProcessing.Token)),
            Stage(settler.RunAsync(outcomes.Reader, deletes.Writer, stopProcessing.Token)),
            Stage(acknowledger.RunAsync(deletes.Reader, stopProcessing.Token)));
        var background = Task.WhenAll(
            heartbeat.RunAsync(stopBackground.Token),
            rules.RefreshEveryAsync(settings.Rules.RefreshInterval, timeProvider, stopBackground.Token),
            liveness.BeatUntilCancelledAsync(stopBackground.Token),
            sqs.UntilIdle is { } untilIdle ? StopWhenIdleAsync(idle, untilIdle, stopReceiving, logger, stopBackground.Token) : Task.CompletedTask);
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
        }
    }

    /// <summary>
    /// The long-poll wait; with --until-idle at most the idle time, since only an empty receive shows the queue is
    /// empty (a 20 s poll would add 20 s to every one-off run).
    /// </summary>
    private static TimeSpan ReceiveWait(SqsOptions sqs) =>
        sqs.UntilIdle is { } idle && idle < sqs.WaitTime ? TimeSpan.FromSeconds(Math.Max(1, Math.Floor(idle.TotalSeconds))) : sqs.WaitTime;

    /// <summary>Stops receiving once idle; messages still in flight then only wait for their batches, which the drain commits.</summary>
    private static async Task StopWhenIdleAsync(IdleTracker idle, TimeSpan untilIdle, CancellationTokenSource stopReceiving, ILogger logger, CancellationToken cancellationToken)
    {
        if (await idle.WaitUntilIdleAsync(untilIdle, cancellationToken).ConfigureAwait(false))
        {
            Log.Idle(logger, untilIdle);
            await stopReceiving.CancelAsync().ConfigureAwait(false);
        }
    }

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
