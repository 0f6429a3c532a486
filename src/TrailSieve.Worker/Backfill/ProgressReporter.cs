namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Shows backfill progress: on a terminal one line redrawn in place with a bar; otherwise (a log, a container) a
/// timestamped line every interval, so CloudWatch Logs shows how far a backfill task has got.
/// </summary>
internal sealed class ProgressReporter(BackfillProgress progress, TextWriter output, bool terminal, TimeSpan interval, TimeProvider timeProvider)
{
    private int _lastLength;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(terminal ? TimeSpan.FromMilliseconds(500) : interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Report();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the command; Clear() follows.
        }
    }

    /// <summary>Writes the current state once.</summary>
    public void Report()
    {
        lock (output)
        {
            if (terminal)
            {
                var line = progress.Render(withBar: true);
                output.Write("\r" + line.PadRight(_lastLength));
                _lastLength = line.Length;
            }
            else
            {
                output.WriteLine($"{timeProvider.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ} progress {progress.Render(withBar: false)}");
            }

            output.Flush();
        }
    }

    /// <summary>Removes the in-place line before the summary is printed.</summary>
    public void Clear()
    {
        if (terminal && _lastLength > 0)
        {
            lock (output)
            {
                output.Write("\r" + new string(' ', _lastLength) + "\r");
                output.Flush();
            }
        }
    }
}
