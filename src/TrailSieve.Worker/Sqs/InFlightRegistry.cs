using System.Collections.Concurrent;
using System.Diagnostics;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// The messages received and not yet deleted or abandoned (AWS.Messaging's in-flight registry), and the room for
/// more: receivers reserve room before they receive, so there is no unbounded prefetch, and a message holds its unit
/// of room until it is released. When the room runs out it raises the composition's <see cref="FlushSignal"/>, since
/// in batch mode messages wait for their batches. It never calls SQS and decides nothing about a message's fate.
/// </summary>
internal sealed class InFlightRegistry(int maxInFlight, FlushSignal flush) : IDisposable
{
    private readonly ConcurrentDictionary<string, InFlightMessage> _messages = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _room = new(maxInFlight, maxInFlight);

    public int Count => _messages.Count;

    public int Available => _room.CurrentCount;

    public ICollection<InFlightMessage> Snapshot() => _messages.Values;

    /// <summary>Waits until at least one message may be received; returns how many (at most <paramref name="max"/>) were reserved.</summary>
    public async Task<int> ReserveAsync(int max, CancellationToken cancellationToken)
    {
        if (!_room.Wait(0, CancellationToken.None))
        {
            // Out of room: whoever holds messages back (open batches) is told to let them go.
            flush.Request();
            await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var reserved = 1;
        while (reserved < max && _room.Wait(0, CancellationToken.None))
        {
            reserved++;
        }

        return reserved;
    }

    /// <summary>Gives back room reserved for messages that did not arrive, or for one left unprocessed (an unreadable body).</summary>
    public void Unreserve(int count)
    {
        if (count > 0)
        {
            _room.Release(count);
        }
    }

    /// <summary>
    /// Tracks a received message that announced <paramref name="objectCount"/> objects; zero for one with nothing to
    /// process (a test event), which goes straight to deletion.
    /// </summary>
    public InFlightMessage Add(QueueMessage message, int objectCount, long receivedTimestamp, DateTimeOffset visibleUntil)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(objectCount);
        var activity = TrailSieveActivity.Source.StartActivity(
            "sqs.message process", ActivityKind.Consumer, TrailSieveActivity.ParentFrom(message.TraceParent, message.TraceState));
        activity?.SetTag("messaging.system", "aws_sqs");
        activity?.SetTag("messaging.message.id", message.MessageId);
        activity?.SetTag("trailsieve.objects", objectCount);
        var inFlight = new InFlightMessage(message, objectCount, receivedTimestamp, visibleUntil) { Activity = activity };
        _messages[message.MessageId] = inFlight;
        return inFlight;
    }

    /// <summary>Forgets a message that was deleted, whose delete failed for good, or that is left for redelivery; frees its room.</summary>
    public void Release(InFlightMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_messages.TryRemove(message.Message.MessageId, out _))
        {
            _room.Release();
        }

        message.Activity?.Stop();
    }

    public void Dispose() => _room.Dispose();
}
