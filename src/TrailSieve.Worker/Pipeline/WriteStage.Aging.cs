using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Flushing by age while the input stays open (the service): the writer waits for input, the oldest batch's or findings
/// object's due time, or a flush request, whichever comes first.
/// </summary>
internal sealed partial class WriteStage
{
    private async Task FlushAgedWhileWaitingAsync(Task<bool> wait, CancellationToken cancellationToken)
    {
        while (!wait.IsCompleted && (_batches.Count > 0 || _alertBatches.Count > 0))
        {
            var due = NextDue();
            var flush = Volatile.Read(ref _flushRequested).Task;
            if (due > TimeSpan.Zero && !flush.IsCompleted)
            {
                using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(due, _timeProvider, delayCancellation.Token);
                var woken = await Task.WhenAny(wait, delay, flush).ConfigureAwait(false);
                await delayCancellation.CancelAsync().ConfigureAwait(false);
                if (woken == wait)
                {
                    return;
                }
            }

            await FlushAgedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAgedAsync(CancellationToken cancellationToken)
    {
        if (_batches.Count == 0 && _alertBatches.Count == 0)
        {
            return;
        }

        var requested = Volatile.Read(ref _flushRequested);
        var all = requested.Task.IsCompleted;
        if (all)
        {
            Interlocked.CompareExchange(ref _flushRequested, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), requested);
        }

        foreach (var batch in _batches.Values.Concat(_alertBatches.Values).Where(b => all || _timeProvider.GetElapsedTime(b.CreatedTimestamp) >= MaxAgeOf(b)).ToList())
        {
            await CommitBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long until the oldest open batch or findings object is due.</summary>
    private TimeSpan NextDue()
    {
        var due = TimeSpan.MaxValue;
        foreach (var batch in _batches.Values.Concat(_alertBatches.Values))
        {
            var left = MaxAgeOf(batch) - _timeProvider.GetElapsedTime(batch.CreatedTimestamp);
            due = left < due ? left : due;
        }

        return due;
    }

    private TimeSpan MaxAgeOf(Batch batch) => batch.IsAlerts ? _detections!.MaxAge : _options.MaxAge;
}
