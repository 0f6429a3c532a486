using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.Worker.Tests.Sqs;

public class InFlightRegistryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReserveAsync_FullRegistry_RaisesFlushAndWaitsUntilAMessageIsReleased()
    {
        // Given a registry with room for 2, both taken
        var flush = new FlushSignal();
        using var registry = new InFlightRegistry(2, flush);
        Assert.Equal(2, await registry.ReserveAsync(10, CancellationToken.None));
        var first = registry.Add(Message("m1"), 1, 0, s_now);
        registry.Add(Message("m2"), 1, 0, s_now);

        // When a receiver asks for room
        var waiting = registry.ReserveAsync(10, CancellationToken.None);

        // Then it has asked for open batches to be committed, and waits (the flush request is raised before the wait)
        Assert.True(flush.Requested.IsCompleted);
        Assert.False(waiting.IsCompleted);

        // And it gets room only once a message is released
        registry.Release(first);
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public async Task Release_TwiceForOneMessage_GivesItsRoomBackOnce()
    {
        using var registry = new InFlightRegistry(3, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1"), 1, 0, s_now);

        registry.Release(message);
        registry.Release(message);

        Assert.Equal(3, registry.Available);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void Add_NoObjects_TrackedForImmediateDeletion()
    {
        using var registry = new InFlightRegistry(3, new FlushSignal());

        var message = registry.Add(Message("test"), 0, 0, s_now);

        Assert.Same(message, Assert.Single(registry.Snapshot()));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Add(Message("bad"), -1, 0, s_now));
    }

    [Fact]
    public void Unreserve_GivesRoomBack()
    {
        using var registry = new InFlightRegistry(3, new FlushSignal());
        Assert.True(registry.ReserveAsync(3, CancellationToken.None).IsCompletedSuccessfully);

        registry.Unreserve(2);

        Assert.Equal(2, registry.Available);
    }

    private static QueueMessage Message(string id) => new(id, "rh-" + id, "{}", 1, null);
}
