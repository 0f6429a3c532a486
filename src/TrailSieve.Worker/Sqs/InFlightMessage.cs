using System.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// A received message and how many of the objects it announced still have no outcome. It is settled once every
/// object has one (<see cref="MessageSettler"/>): deleted when all were written or deliberately skipped, left for
/// redelivery (and, after maxReceiveCount, the DLQ) when any failed: released at once, or after a backoff.
/// </summary>
internal sealed class InFlightMessage(QueueMessage message, int objectCount, long receivedTimestamp, DateTimeOffset visibleUntil)
{
    private int _pending = objectCount;
    private int _failed;

    public QueueMessage Message { get; } = message;

    /// <summary>The message's span, from receipt to delete or abandonment; objects' spans are its children.</summary>
    public Activity? Activity { get; init; }

    public long ReceivedTimestamp { get; } = receivedTimestamp;

    /// <summary>When the message becomes visible again unless extended; the heartbeat moves it.</summary>
    public DateTimeOffset VisibleUntil { get; set; } = visibleUntil;

    /// <summary>Read by the heartbeat, which stops extending a message that will not be deleted.</summary>
    public bool AnyFailed => Volatile.Read(ref _failed) != 0;

    /// <summary>
    /// The failure that decides the message's release and its log line: the first one that retrying cannot cure, else
    /// the first one (a message with one poisoned object never succeeds, however often its other objects are retried).
    /// </summary>
    public ObjectOutcome? FirstFailure { get; private set; }

    /// <summary>Records one object's outcome (from one thread, the settler's); true once the last one is in (the message is settled).</summary>
    public bool Complete(ObjectOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status == ObjectStatus.Failed)
        {
            Interlocked.Exchange(ref _failed, 1);
            if (FirstFailure is null || (FirstFailure.Retryable && !outcome.Retryable))
            {
                FirstFailure = outcome;
            }
        }

        return Interlocked.Decrement(ref _pending) == 0;
    }
}
