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
        var (outcomes, deletes, _, run) = Start(new ServiceCounters());

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
    public async Task RunAsync_AnyObjectFailed_ReleasedNotDeleted()
    {
        // Given a message announcing two objects, one of which fails in a way retrying cannot cure
        using var registry = new InFlightRegistry(4, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1"), 2, 0, s_now);
        var counters = new ServiceCounters();
        var (outcomes, deletes, releases, run) = Start(counters);

        // When both outcomes are in
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Failed));
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Succeeded));
        outcomes.Writer.Complete();
        await run;

        // Then it goes to the releaser to be visible at once, not to deletion; counted, and the failure kept
        Assert.False(deletes.Reader.TryRead(out _));
        Assert.True(releases.Reader.TryRead(out var release));
        Assert.Same(message, release.Message);
        Assert.Equal(TimeSpan.Zero, release.Visibility);
        Assert.Equal(1, counters.Abandoned);
        Assert.Equal(ObjectStatus.Failed, message.FirstFailure!.Status);
        Assert.True(releases.Reader.Completion.IsCompleted);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 10)]
    [InlineData(3, 60)]
    [InlineData(4, 300)]
    [InlineData(9, 300)]
    public async Task RunAsync_RetryableFailure_ReleasedAfterTheBackoffOfItsReceiveCount(int receiveCount, int expectedSeconds)
    {
        // Given a message received for the n-th time whose only object failed with a retryable error
        using var registry = new InFlightRegistry(4, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1", receiveCount), 1, 0, s_now);
        var (outcomes, _, releases, run) = Start(new ServiceCounters());

        // When its outcome is in
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Failed, retryable: true));
        outcomes.Writer.Complete();
        await run;

        // Then it is released with the backoff for that receive, the last delay for every receive after the list
        Assert.True(releases.Reader.TryRead(out var release));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), release.Visibility);
    }

    [Fact]
    public async Task RunAsync_RetryableAndPermanentFailures_ThePermanentOneDecidesAndIsReleasedAtOnce()
    {
        // Given a message received 3 times announcing two objects: the first fails retryably, the second is poison
        using var registry = new InFlightRegistry(4, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1", 3), 2, 0, s_now);
        var (outcomes, _, releases, run) = Start(new ServiceCounters());

        // When both are in
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Failed, retryable: true));
        await outcomes.Writer.WriteAsync(Outcome(message, ObjectStatus.Failed, retryable: false));
        outcomes.Writer.Complete();
        await run;

        // Then no backoff: the message cannot succeed, so it heads for the DLQ without waiting
        Assert.True(releases.Reader.TryRead(out var release));
        Assert.Equal(TimeSpan.Zero, release.Visibility);
        Assert.False(message.FirstFailure!.Retryable);
    }

    [Fact]
    public async Task RunAsync_OutcomesFault_DeletesCompleteWithTheFault()
    {
        var (outcomes, deletes, releases, run) = Start(new ServiceCounters());

        outcomes.Writer.Complete(new InvalidOperationException("writer failed"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        await Assert.ThrowsAsync<InvalidOperationException>(() => deletes.Reader.Completion);
        await Assert.ThrowsAsync<InvalidOperationException>(() => releases.Reader.Completion);
    }

    private static (Channel<ObjectOutcome> Outcomes, Channel<InFlightMessage> Deletes, Channel<MessageRelease> Releases, Task Run) Start(ServiceCounters counters)
    {
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var deletes = Channel.CreateUnbounded<InFlightMessage>();
        var releases = Channel.CreateUnbounded<MessageRelease>();
        var policy = new ReleasePolicy([TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)]);
        var run = new MessageSettler(policy, counters, NullLogger.Instance).RunAsync(outcomes.Reader, deletes.Writer, releases.Writer, CancellationToken.None);
        return (outcomes, deletes, releases, run);
    }

    private static InFlightMessage Other(InFlightRegistry registry) => registry.Add(Message("other"), 1, 0, s_now);

    private static QueueMessage Message(string id, int receiveCount = 1) => new(id, "rh-" + id, "{}", receiveCount, null);

    private static ObjectOutcome Outcome(InFlightMessage origin, ObjectStatus status, bool retryable = false) => new(
        new SourceObject { Name = "n", Key = "k", OutputKey = "k", OpenAsync = _ => Task.FromResult<Stream>(Stream.Null), Origin = origin },
        status, 0, 0, 0, 0, 0, TimeSpan.Zero, status == ObjectStatus.Failed ? "NotJson" : null, status == ObjectStatus.Failed ? "bad" : null, retryable);
}
