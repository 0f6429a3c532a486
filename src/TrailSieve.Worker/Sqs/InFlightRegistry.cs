using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Decides what happens to each received message (AWS.Messaging's in-flight registry): tracks messages until their
/// objects are done, bounds how many may be in flight (receivers wait for room, so there is no unbounded prefetch),
/// and hands settled messages to the acknowledger. It never calls SQS itself.
/// </summary>
internal sealed class InFlightRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, InFlightMessage> _messages = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _room;
    private readonly Channel<InFlightMessage> _toDelete;
    private readonly Action<InFlightMessage> _onAbandoned;
    private readonly Action? _onFull;

    public InFlightRegistry(int maxInFlight, Action<InFlightMessage> onAbandoned, Action? onFull = null)
    {
        _onFull = onFull;
        _room = new SemaphoreSlim(maxInFlight, maxInFlight);
        // Bounded by construction: a message holds a unit of room until it is deleted or abandoned.
        _toDelete = Channel.CreateBounded<InFlightMessage>(new BoundedChannelOptions(maxInFlight) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _onAbandoned = onAbandoned;
    }

    /// <summary>Messages to delete, for the acknowledger.</summary>
    public ChannelReader<InFlightMessage> ToDelete => _toDelete.Reader;

    public int Count => _messages.Count;

    public int Available => _room.CurrentCount;

    public ICollection<InFlightMessage> Snapshot() => _messages.Values;

    /// <summary>Waits until at least one message may be received; returns how many (at most <paramref name="max"/>) were reserved.</summary>
    public async Task<int> ReserveAsync(int max, CancellationToken cancellationToken)
    {
        if (!_room.Wait(0, CancellationToken.None))
        {
            // Out of room: whoever holds messages back (open batches) is told to let them go.
            _onFull?.Invoke();
            await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var reserved = 1;
        while (reserved < max && _room.Wait(0, CancellationToken.None))
        {
            reserved++;
        }

        return reserved;
    }

    /// <summary>Gives back room reserved for messages that did not arrive.</summary>
    public void Unreserve(int count)
    {
        if (count > 0)
        {
            _room.Release(count);
        }
    }

    /// <summary>Tracks a received message that announced <paramref name="objectCount"/> objects (at least one).</summary>
    public InFlightMessage Add(QueueMessage message, int objectCount, long receivedTimestamp, DateTimeOffset visibleUntil)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(objectCount);
        var activity = TrailSieveActivity.Source.StartActivity(
            "sqs.message process", ActivityKind.Consumer, TrailSieveActivity.ParentFrom(message.TraceParent, message.TraceState));
        activity?.SetTag("messaging.system", "aws_sqs");
        activity?.SetTag("messaging.message.id", message.MessageId);
        activity?.SetTag("trailsieve.objects", objectCount);
        var inFlight = new InFlightMessage(message, objectCount, receivedTimestamp, visibleUntil, this) { Activity = activity };
        _messages[message.MessageId] = inFlight;
        return inFlight;
    }

    /// <summary>A message with nothing to process (test event, only ignored events): straight to deletion.</summary>
    public void AcknowledgeNow(QueueMessage message, long receivedTimestamp, DateTimeOffset visibleUntil)
    {
        var inFlight = new InFlightMessage(message, 1, receivedTimestamp, visibleUntil, this);
        _messages[message.MessageId] = inFlight;
        Settle(inFlight);
    }

    /// <summary>Gives back the room of a received message that is left for redelivery unprocessed (an unreadable body).</summary>
    public void Abandon() => _room.Release();

    /// <summary>Called by the acknowledger once a message was deleted (or its delete failed for good).</summary>
    public void Release(InFlightMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_messages.TryRemove(message.Message.MessageId, out _))
        {
            _room.Release();
        }

        message.Activity?.Stop();
    }

    /// <summary>Stops accepting settled messages: the acknowledger ends once it has drained what was settled.</summary>
    public void CompleteDeletes() => _toDelete.Writer.TryComplete();

    public void Dispose() => _room.Dispose();

    internal void Settle(InFlightMessage message)
    {
        if (message.AnyFailed)
        {
            message.Activity?.SetStatus(ActivityStatusCode.Error, "left for redelivery: " + message.FirstFailure?.ErrorType);
            Release(message);
            _onAbandoned(message);
            return;
        }

        if (!_toDelete.Writer.TryWrite(message))
        {
            // Only after CompleteDeletes (shutdown past the drain): the message simply comes back from the queue.
            Release(message);
        }
    }
}
