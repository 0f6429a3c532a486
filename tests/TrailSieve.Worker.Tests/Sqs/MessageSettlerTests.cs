using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.Worker.Tests.Sqs;

public class MessageSettlerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_AllObjectsSucceededOrSkipped_MessageToDeleteOnlyAfterTheLast()
    {
        // Given a message announcing two objects
        using var registry = new InFlightRegistry(4, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1"), 2, 0, s_now);
        var (outcomes, deletes, run) = Start(registry, new ServiceCounters());

        // When the first object's outcome is settled, the message is not deletable yet
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Succeeded));
        await outcomes.Writer.WriteAsync(Outcome(Other(registry), ObjectStatus.Succeeded));
        await deletes.Reader.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(deletes.Reader.TryRead(out var other));
        Assert.Equal("other", other.Message.MessageId);
        Assert.False(deletes.Reader.TryPeek(out _));

        // Then once the second one is in (skipped counts as done), it is
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Skipped));
        outcomes.Writer.Complete();
        await run;
        Assert.True(deletes.Reader.TryRead(out var ready));
        Assert.Same(message, ready);
        Assert.True(deletes.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_AnyObjectFailed_AbandonedAndReleasedNotDeleted()
    {
        // Given a message announcing two objects, one of which fails
        using var registry = new InFlightRegistry(4, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1"), 2, 0, s_now);
        var counters = new ServiceCounters();
        var (outcomes, deletes, run) = Start(registry, counters);

        // When both outcomes are in
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Failed));
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Succeeded));
        outcomes.Writer.Complete();
        await run;

        // Then it is left for redelivery: not deleted, its room given back, counted, and the first failure kept
        Assert.False(deletes.Reader.TryRead(out _));
        Assert.Equal(0, registry.Count);
        Assert.Equal(4, registry.Available);
        Assert.Equal(1, counters.Abandoned);
        Assert.Equal(ObjectStatus.Failed, message.FirstFailure!.Status);
    }

    [Fact]
    public async Task RunAsync_OutcomesFault_DeletesCompleteWithTheFault()
    {
        using var registry = new InFlightRegistry(4, new FlushSignal());
        var (outcomes, deletes, run) = Start(registry, new ServiceCounters());

        outcomes.Writer.Complete(new InvalidOperationException("writer failed"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        await Assert.ThrowsAsync<InvalidOperationException>(() => deletes.Reader.Completion);
    }

    private static (Channel<ObjectOutcome> Outcomes, Channel<InFlightMessage> Deletes, Task Run) Start(InFlightRegistry registry, ServiceCounters counters)
    {
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var deletes = Channel.CreateUnbounded<InFlightMessage>();
        var run = new MessageSettler(registry, counters, NullLogger.Instance).RunAsync(outcomes.Reader, deletes.Writer, CancellationToken.None);
        return (outcomes, deletes, run);
    }

    private static InFlightMessage Other(InFlightRegistry registry) => registry.Add(Message("other"), 1, 0, s_now);

    private static QueueMessage Message(string id) => new(id, "rh-" + id, "{}", 1, null);

    private static ObjectOutcome Outcome(InFlightMessage origin, ObjectStatus status) => new(
        new SourceObject { Name = "n", Key = "k", OutputKey = "k", OpenAsync = _ => Task.FromResult<Stream>(Stream.Null), Origin = origin },
        status, 0, 0, 0, 0, 0, TimeSpan.Zero, status == ObjectStatus.Failed ? "NotJson" : null, status == ObjectStatus.Failed ? "bad" : null);
}
