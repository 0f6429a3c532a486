namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Drives <c>--until-idle</c>: the queue counts as idle once a receive came back empty after the last message, and
/// stays idle for as long as no message arrives. Receivers that are waiting for room (a busy pipeline) do not receive
/// at all, so they never make the queue look idle.
/// </summary>
internal sealed class IdleTracker(TimeProvider timeProvider)
{
    private long _lastMessage = timeProvider.GetTimestamp();
    private long _lastEmpty;

    public void OnReceived(int count)
    {
        if (count > 0)
        {
            Interlocked.Exchange(ref _lastMessage, timeProvider.GetTimestamp());
        }
        else
        {
            Interlocked.Exchange(ref _lastEmpty, timeProvider.GetTimestamp());
        }
    }

    /// <summary>How long the queue has been seen empty; zero until a receive came back empty after the last message.</summary>
    public TimeSpan IdleFor
    {
        get
        {
            var lastMessage = Interlocked.Read(ref _lastMessage);
            return Interlocked.Read(ref _lastEmpty) >= lastMessage ? timeProvider.GetElapsedTime(lastMessage) : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Completes with true once the queue has been idle for <paramref name="untilIdle"/> (checked a few times per
    /// idle period), or with false when cancelled first.
    /// </summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan untilIdle, CancellationToken cancellationToken)
    {
        var idle = false;
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(untilIdle.TotalMilliseconds / 4, 50, 1000));
        await Hosting.Periodic.RunAsync(
            poll,
            timeProvider,
            _ =>
            {
                idle = IdleFor >= untilIdle;
                return ValueTask.FromResult(!idle);
            },
            cancellationToken).ConfigureAwait(false);
        return idle;
    }
}
