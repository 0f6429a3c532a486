using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Stage 0 of the service: N long-poll receivers. Each reserves room in the in-flight registry before receiving (so
/// a busy pipeline stops receiving), parses every body into object references and feeds them to the pipeline.
/// Unknown bodies are reported and released at once (they head for the DLQ); test events and notifications without objects go straight to
/// the acknowledger. A failing receive backs off through Polly (capped, with jitter) for as long as it fails, unless
/// the failure is fatal (the queue is missing or not ours), which stops the service.
/// </summary>
internal sealed class SqsReceiver
{
    private const int MaxPerReceive = 10;
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(20);

    private readonly IQueueClient _queue;
    private readonly InFlightRegistry _registry;
    private readonly Func<ObjectRef, InFlightMessage, SourceObject> _createSource;
    private readonly int _receivers;
    private readonly TimeSpan _waitTime;
    private readonly TimeSpan _visibilityTimeout;
    private readonly IdleTracker _idle;
    private readonly TimeProvider _timeProvider;
    private readonly ServiceCounters _counters;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _receive;

    public SqsReceiver(
        IQueueClient queue,
        InFlightRegistry registry,
        Func<ObjectRef, InFlightMessage, SourceObject> createSource,
        int receivers,
        TimeSpan waitTime,
        TimeSpan visibilityTimeout,
        IdleTracker idle,
        TimeProvider timeProvider,
        ServiceCounters counters,
        ILogger logger)
    {
        _queue = queue;
        _registry = registry;
        _createSource = createSource;
        _receivers = receivers;
        _waitTime = waitTime;
        _visibilityTimeout = visibilityTimeout;
        _idle = idle;
        _timeProvider = timeProvider;
        _counters = counters;
        _logger = logger;
        _receive = AwsResilience.CreateUnbounded(
            timeProvider,
            s_maxBackoff,
            static ex => ex is not OperationCanceledException && !AwsErrors.IsFatalQueueError(ex),
            OnReceiveRetry);
    }

    /// <summary>
    /// Receives until cancelled (the normal stop: <paramref name="objects"/> then completes cleanly and the pipeline
    /// drains) or a fatal failure (it completes with it). Messages with nothing to process go to <paramref name="deletes"/>.
    /// </summary>
    public async Task RunAsync(ChannelWriter<SourceObject> objects, ChannelWriter<InFlightMessage> deletes, ChannelWriter<MessageRelease> releases, CancellationToken cancellationToken)
    {
        try
        {
            await StageWorkers.RunAsync(_receivers, () => ReceiveLoopAsync(objects, deletes, releases, cancellationToken), objects).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stop receiving: the normal way out on shutdown; the channel was completed cleanly, so the pipeline drains.
        }
    }

    private async Task ReceiveLoopAsync(ChannelWriter<SourceObject> objects, ChannelWriter<InFlightMessage> deletes, ChannelWriter<MessageRelease> releases, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var messages = await _receive.ExecuteAsync(static (self, ct) => self.ReceiveOnceAsync(ct), this, cancellationToken).ConfigureAwait(false);
            _idle.OnReceived(messages.Count);
            _counters.AddReceived(messages.Count);
            foreach (var message in messages)
            {
                await DispatchAsync(message, objects, deletes, releases, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reserves room, receives at most that many, and gives back the room of what did not arrive.</summary>
    private async ValueTask<IReadOnlyList<QueueMessage>> ReceiveOnceAsync(CancellationToken cancellationToken)
    {
        var reserved = await _registry.ReserveAsync(MaxPerReceive, cancellationToken).ConfigureAwait(false);
        try
        {
            var messages = await _queue.ReceiveAsync(reserved, _waitTime, _visibilityTimeout, cancellationToken).ConfigureAwait(false);
            _registry.Unreserve(reserved - messages.Count);
            return messages;
        }
        catch
        {
            _registry.Unreserve(reserved);
            throw;
        }
    }

    private void OnReceiveRetry(int attempt, TimeSpan delay, Exception exception)
    {
        Log.ReceiveFailed(_logger, _queue.QueueUrl, attempt, delay, $"{exception.GetType().Name}: {exception.Message}");
        _counters.AddError("SqsReceive", 1);
    }

    private async Task DispatchAsync(
        QueueMessage message, ChannelWriter<SourceObject> objects, ChannelWriter<InFlightMessage> deletes, ChannelWriter<MessageRelease> releases, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var received = _timeProvider.GetTimestamp();
        var parsed = NotificationParser.Parse(message.Body);
        if (!parsed.IsRecognised)
        {
            // Poison that no retry cures: released at once, so it reaches the DLQ after maxReceiveCount receives
            // within seconds rather than after as many visibility timeouts.
            Log.UnknownMessage(_logger, message.MessageId, parsed.Error ?? "unrecognised", BodyStart(message.Body));
            _counters.AddUnknown();
            _counters.AddError("UnknownMessage", 1);
            await SettleAsync(releases, new MessageRelease(_registry.Add(message, 0, received, now + _visibilityTimeout), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
            return;
        }

        var inFlight = _registry.Add(message, parsed.Objects.Count, received, now + _visibilityTimeout);
        if (parsed.Objects.Count == 0)
        {
            if (parsed.Kind == NotificationKind.TestEvent)
            {
                Log.TestEvent(_logger, message.MessageId);
            }
            else
            {
                Log.NothingToProcess(_logger, message.MessageId, parsed.IgnoredEvents);
            }

            await SettleAsync(deletes, inFlight, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var reference in parsed.Objects)
        {
            // Waits while the pipeline is full: this is where backpressure reaches the receiver. If shutdown cancels
            // the wait, the message's remaining objects are never processed, so it is never deleted: it comes back.
            await objects.WriteAsync(_createSource(reference, inFlight), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands a message with nothing to process to the acknowledger or the releaser.</summary>
    private static async Task SettleAsync<T>(ChannelWriter<T> settle, T item, CancellationToken cancellationToken)
    {
        try
        {
            await settle.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The service is stopping past its drain: the message stays in the registry, and the shutdown releases it.
        }
    }

    private static string BodyStart(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
