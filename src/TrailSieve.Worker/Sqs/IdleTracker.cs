namespace TrailSieve.Worker.Sqs;

/// <summary>When did a receive last return messages? Drives <c>--until-idle</c>.</summary>
internal sealed class IdleTracker(TimeProvider timeProvider)
{
    private long _lastActivity = timeProvider.GetTimestamp();

    public void OnReceived(int count)
    {
        if (count > 0)
        {
            Interlocked.Exchange(ref _lastActivity, timeProvider.GetTimestamp());
        }
    }

    /// <summary>How long since a receive last returned a message (or since start).</summary>
    public TimeSpan IdleFor => timeProvider.GetElapsedTime(Interlocked.Read(ref _lastActivity));
}
