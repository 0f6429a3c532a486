using System.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// A received message and the objects it announced that are still on their way. It is settled once every object has
/// an outcome: acknowledged when all succeeded or were deliberately skipped, abandoned (left for redelivery and,
/// after maxReceiveCount, the DLQ) when any failed.
/// </summary>
internal sealed class InFlightMessage : IObjectObserver
{
    private readonly InFlightRegistry _registry;
    private int _pending;
    private int _failed;

    public InFlightMessage(QueueMessage message, int objectCount, long receivedTimestamp, DateTimeOffset visibleUntil, InFlightRegistry registry)
    {
        Message = message;
        _pending = objectCount;
        ReceivedTimestamp = receivedTimestamp;
        VisibleUntil = visibleUntil;
        _registry = registry;
    }

    public QueueMessage Message { get; }

    /// <summary>The message's span, from receipt to delete or abandonment; objects' spans are its children.</summary>
    public Activity? Activity { get; init; }

    public long ReceivedTimestamp { get; }

    /// <summary>When the message becomes visible again unless extended; the heartbeat moves it.</summary>
    public DateTimeOffset VisibleUntil { get; set; }

    public bool AnyFailed => Volatile.Read(ref _failed) != 0;

    /// <summary>The first failure, for the log line that says why the message is left for redelivery.</summary>
    public ObjectOutcome? FirstFailure { get; private set; }

    public void OnCompleted(ObjectOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status == ObjectStatus.Failed && Interlocked.Exchange(ref _failed, 1) == 0)
        {
            FirstFailure = outcome;
        }

        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _registry.Settle(this);
        }
    }
}
