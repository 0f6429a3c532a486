namespace TrailSieve.Worker.Hosting;

/// <summary>The one shape of the service's background loops: wait an interval on the clock, act, until cancelled.</summary>
internal static class Periodic
{
    /// <summary>
    /// Waits <paramref name="interval"/> on <paramref name="timeProvider"/>, then runs <paramref name="tick"/>, over and
    /// over, until cancelled (returning normally) or until <paramref name="tick"/> returns false.
    /// </summary>
    public static async Task RunAsync(TimeSpan interval, TimeProvider timeProvider, Func<CancellationToken, ValueTask<bool>> tick, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!await tick(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
