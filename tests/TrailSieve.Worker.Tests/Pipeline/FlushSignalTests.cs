using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Tests.Pipeline;

public class FlushSignalTests
{
    [Fact]
    public void TryTake_BeforeRequest_False()
    {
        // Given a new signal
        var flush = new FlushSignal();

        // When / Then
        Assert.False(flush.TryTake());
        Assert.False(flush.Requested.IsCompleted);
    }

    [Fact]
    public void TryTake_AfterRequest_TrueOnceThenFalse()
    {
        // Given a requested flush (requested twice: still one flush)
        var flush = new FlushSignal();
        flush.Request();
        flush.Request();
        Assert.True(flush.Requested.IsCompleted);

        // When / Then it is taken once
        Assert.True(flush.TryTake());
        Assert.False(flush.TryTake());
    }

    [Fact]
    public void Request_AfterTake_SignalReArmed()
    {
        // Given a flush requested and taken
        var flush = new FlushSignal();
        var first = flush.Requested;
        flush.Request();
        Assert.True(flush.TryTake());

        // Then the signal waits again, on a new task (the taken one stays completed)
        Assert.False(flush.Requested.IsCompleted);
        Assert.True(first.IsCompleted);

        // When requested again, it completes and is taken again
        flush.Request();
        Assert.True(flush.Requested.IsCompleted);
        Assert.True(flush.TryTake());
        Assert.False(flush.TryTake());
    }
}
