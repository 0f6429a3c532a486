using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.Worker.Tests.Sqs;

public class InFlightRegistryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Settle_AllObjectsSucceeded_QueuedForDeletion()
    {
        // Given a message announcing two objects, received into reserved room
        using var registry = new InFlightRegistry(4, _ => Assert.Fail("not abandoned"));
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1"), 2, 0, s_now);

        // When the first completes, nothing yet; when the second does, the message is ready to delete
        message.OnCompleted(Outcome(ObjectStatus.Succeeded));
        Assert.False(registry.ToDelete.TryPeek(out _));
        message.OnCompleted(Outcome(ObjectStatus.Skipped));

        // Then
        Assert.True(registry.ToDelete.TryRead(out var ready));
        Assert.Same(message, ready);
    }

    [Fact]
    public async Task Settle_AnyObjectFailed_AbandonedNotDeleted()
    {
        InFlightMessage? abandoned = null;
        using var registry = new InFlightRegistry(4, m => abandoned = m);
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(Message("m1"), 2, 0, s_now);

        message.OnCompleted(Outcome(ObjectStatus.Failed));
        message.OnCompleted(Outcome(ObjectStatus.Succeeded));

        Assert.Same(message, abandoned);
        Assert.False(registry.ToDelete.TryRead(out _));
        Assert.Equal(0, registry.Count);
        Assert.Equal(4, registry.Available);
        Assert.Equal("Failed", message.FirstFailure!.Status.ToString());
    }

    [Fact]
    public async Task ReserveAsync_FullRegistry_WaitsUntilAMessageIsReleased()
    {
        // Given a registry with room for 2, both taken
        using var registry = new InFlightRegistry(2, _ => { });
        Assert.Equal(2, await registry.ReserveAsync(10, CancellationToken.None));
        var first = registry.Add(Message("m1"), 1, 0, s_now);
        registry.Add(Message("m2"), 1, 0, s_now);

        // When a receiver asks for room, it waits
        var waiting = registry.ReserveAsync(10, CancellationToken.None);
        await Task.Delay(20);
        Assert.False(waiting.IsCompleted);

        // Then it gets room only once a message is released (deleted)
        first.OnCompleted(Outcome(ObjectStatus.Succeeded));
        Assert.True(registry.ToDelete.TryRead(out var ready));
        Assert.False(waiting.IsCompleted);
        registry.Release(ready);
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private static QueueMessage Message(string id) => new(id, "rh-" + id, "{}", 1, null);

    private static ObjectOutcome Outcome(ObjectStatus status) => new(
        new ObjectWork { Name = "n", Key = "k", OutputKey = "k", OpenAsync = _ => Task.FromResult<Stream>(Stream.Null) },
        status, 0, 0, 0, 0, 0, TimeSpan.Zero, status == ObjectStatus.Failed ? "NotJson" : null, status == ObjectStatus.Failed ? "bad" : null);
}
