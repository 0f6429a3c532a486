namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The worker's proof of life: <see cref="QueueWorker"/> beats while its stages run, <see cref="LivenessHeartbeat"/>
/// touches the heartbeat file only while the last beat is recent. Counts from its creation, so the start is not
/// mistaken for a hang.
/// </summary>
internal sealed class LivenessSignal
{
    private readonly TimeProvider _timeProvider;
    private long _lastBeat;

    public LivenessSignal(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _lastBeat = timeProvider.GetTimestamp();
    }

    public TimeSpan SinceLastBeat => _timeProvider.GetElapsedTime(Interlocked.Read(ref _lastBeat));

    public void Beat() => Interlocked.Exchange(ref _lastBeat, _timeProvider.GetTimestamp());
}
