namespace TrailSieve.Worker.Sqs;

/// <summary>
/// Drives <c>--until-idle</c>: the queue counts as idle once a receive came back empty after the last message, and
/// stays idle for as long as no message arrives. Receivers that are waiting for room (a busy pipeline) do not receive
/// at all, so they never make the queue look idle. A message this worker released counts as arriving when it becomes
/// visible again (<see cref="OnReleased"/>): until then, and until a receive after that came back empty, the queue is
/// not idle, so a one-off run waits for what it let go instead of leaving it behind.
/// </summary>
internal sealed class IdleTracker(TimeProvider timeProvider)
{
    private long _lastMessage = timeProvider.GetTimestamp();
    private long _lastEmpty;
    private long _releasedVisibleAt = long.MinValue;

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

    /// <summary>A released message becomes visible again after <paramref name="visibleIn"/>; it counts as arriving then.</summary>
    public void OnReleased(TimeSpan visibleIn)
    {
        var now = timeProvider.GetTimestamp();
        var at = now + (long)(Math.Max(0, visibleIn.TotalSeconds) * timeProvider.TimestampFrequency);
        long seen;
        do
        {
            seen = Interlocked.Read(ref _releasedVisibleAt);
            if (at <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _releasedVisibleAt, at, seen) != seen);
    }

    /// <summary>
    /// How long the queue has been seen empty; zero until a receive came back empty after the last message, and after
    /// the last released message became visible again.
    /// </summary>
    public TimeSpan IdleFor
    {
        get
        {
            var since = Math.Max(Interlocked.Read(ref _lastMessage), Interlocked.Read(ref _releasedVisibleAt));
            var now = timeProvider.GetTimestamp();
            return now >= since && Interlocked.Read(ref _lastEmpty) >= since ? timeProvider.GetElapsedTime(since, now) : TimeSpan.Zero;
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
