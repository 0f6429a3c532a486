namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The worker's proof of life: <see cref="ServiceTopology"/> beats while its stages run, <see cref="LivenessHeartbeat"/>
/// touches the heartbeat file only while the last beat is recent. Counts from its creation, so the start is not
/// mistaken for a hang.
/// </summary>
internal sealed class LivenessSignal
{
    private static readonly TimeSpan s_beatInterval = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _timeProvider;
    private long _lastBeat;

    public LivenessSignal(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _lastBeat = timeProvider.GetTimestamp();
    }

    public TimeSpan SinceLastBeat => _timeProvider.GetElapsedTime(Interlocked.Read(ref _lastBeat));

    public void Beat() => Interlocked.Exchange(ref _lastBeat, _timeProvider.GetTimestamp());

    /// <summary>
    /// Beats until cancelled (the stages have stopped); a process whose loops no longer get to run stops beating,
    /// and its heartbeat file goes stale. The interval stays below the smallest Health:MaxAge (5 s).
    /// </summary>
    public Task BeatUntilCancelledAsync(CancellationToken cancellationToken)
    {
        Beat();
        return Periodic.RunAsync(
            s_beatInterval,
            _timeProvider,
            _ =>
            {
                Beat();
                return ValueTask.FromResult(true);
            },
            cancellationToken);
    }
}
