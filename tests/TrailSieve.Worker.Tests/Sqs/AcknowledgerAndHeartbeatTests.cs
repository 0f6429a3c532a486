using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Sqs;

public class AcknowledgerAndHeartbeatTests
{
    [Fact]
    public async Task RunAsync_25SettledMessages_DeletedInBatchesOfAtMost10()
    {
        // Given 25 settled messages
        var queue = new FakeQueueClient();
        using var registry = new InFlightRegistry(100, new FlushSignal());
        var counters = new ServiceCounters();
        Assert.Equal(25, await registry.ReserveAsync(25, CancellationToken.None));
        var deletes = Channel.CreateUnbounded<InFlightMessage>();
        for (var i = 0; i < 25; i++)
        {
            deletes.Writer.TryWrite(registry.Add(new QueueMessage($"m{i}", $"rh{i}", "{}", 1, null), 0, 0, DateTimeOffset.UnixEpoch));
        }

        deletes.Writer.Complete();

        // When
        await new Acknowledger(queue, registry, TimeSpan.Zero, TimeProvider.System, counters, NullLogger.Instance).RunAsync(deletes.Reader, CancellationToken.None);

        // Then every one is deleted, in batches of 10, 10, 5, and their room is given back
        Assert.Equal(25, queue.Deleted.Distinct().Count());
        Assert.All(queue.DeleteBatchSizes, size => Assert.InRange(size, 1, 10));
        Assert.Equal(3, queue.DeleteBatchSizes.Count);
        Assert.Equal(100, registry.Available);
        Assert.Equal(25, counters.Deleted);
    }

    [Fact]
    public async Task BeatAsync_OnlyMessagesNearTheirVisibilityEnd_Extended()
    {
        // Given two messages, one visible again in 30 s, one in 4 min; threshold 60 s
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var queue = new FakeQueueClient();
        using var registry = new InFlightRegistry(10, new FlushSignal());
        await registry.ReserveAsync(2, CancellationToken.None);
        var soon = registry.Add(new QueueMessage("soon", "rh1", "{}", 1, null), 1, 0, time.GetUtcNow() + TimeSpan.FromSeconds(30));
        registry.Add(new QueueMessage("later", "rh2", "{}", 1, null), 1, 0, time.GetUtcNow() + TimeSpan.FromMinutes(4));
        var heartbeat = new VisibilityHeartbeat(queue, registry, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), time, new ServiceCounters(), NullLogger.Instance);

        // When
        await heartbeat.BeatAsync(CancellationToken.None);

        // Then only the one due is extended, to the full visibility timeout, and its deadline moves
        Assert.Equal([("soon", TimeSpan.FromMinutes(5))], queue.Extended);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(5), soon.VisibleUntil);
    }

    [Fact]
    public async Task RunAsync_TimePasses_ExtendsEveryIntervalUntilSettled()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var queue = new FakeQueueClient();
        using var registry = new InFlightRegistry(10, new FlushSignal());
        var message = registry.Add(new QueueMessage("m", "rh", "{}", 1, null), 1, 0, time.GetUtcNow() + TimeSpan.FromSeconds(60));
        var heartbeat = new VisibilityHeartbeat(queue, registry, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), time, new ServiceCounters(), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = heartbeat.RunAsync(stop.Token);

        // 3 minutes of heartbeats with a 60 s visibility, a second at a time (the heartbeat's next wait may start
        // after a step, never more than a few steps late): the message must never come due unextended
        for (var i = 0; i < 180; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(2);
            Assert.True(message.VisibleUntil > time.GetUtcNow(), $"visible again at {message.VisibleUntil:T}, now {time.GetUtcNow():T}");
        }

        Assert.True(queue.Extended.Count >= 5, $"{queue.Extended.Count} extensions");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task BeatAsync_ReceiptHandleInvalidAfterDelete_NotAnError()
    {
        var time = new FakeTimeProvider();
        var queue = new FakeQueueClient { FailExtend = m => new EntryFailure(m.MessageId, "ReceiptHandleIsInvalid", "gone") };
        using var registry = new InFlightRegistry(10, new FlushSignal());
        registry.Add(new QueueMessage("m", "rh", "{}", 1, null), 1, 0, time.GetUtcNow());
        var counters = new ServiceCounters();

        await new VisibilityHeartbeat(queue, registry, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), time, counters, NullLogger.Instance).BeatAsync(CancellationToken.None);

        Assert.Empty(counters.Errors);
    }
}
