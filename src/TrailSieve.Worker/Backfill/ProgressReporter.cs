using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Shows backfill progress: on a terminal, one line redrawn in place with a bar; otherwise (a container, a file) a
/// log event every interval, <c>Backfill listing</c> (701) until the totals are known and <c>Backfill progress</c>
/// (700) after, so that with JSON logs CloudWatch has them as fields.
/// </summary>
internal sealed class ProgressReporter(BackfillProgress progress, TextWriter output, bool terminal, TimeSpan interval, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>How often the terminal line is redrawn.</summary>
    public static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(500);

    private int _lastLength;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(terminal ? TerminalInterval : interval, timeProvider);
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

    /// <summary>Reports the current state once.</summary>
    public void Report()
    {
        if (!terminal)
        {
            var rate = Math.Round(progress.BytesPerSecond / 1e6, 1);
            if (progress.ListingComplete)
            {
                Log.Progress(
                    logger, progress.ObjectsDone, progress.ObjectsListed, progress.BytesDone, progress.BytesListed, rate, progress.Eta,
                    progress.PartitionsDone + progress.PartitionsSkipped, progress.Partitions, progress.ObjectsFailed);
            }
            else
            {
                Log.Listing(logger, progress.ObjectsListed, progress.BytesListed, progress.Partitions, progress.ObjectsDone, progress.BytesDone, rate, progress.ObjectsFailed);
            }

            return;
        }

        lock (output)
        {
            var line = progress.Render(withBar: true);
            output.Write("\r" + line.PadRight(_lastLength));
            _lastLength = line.Length;
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
