namespace TrailSieve.Worker.Backfill;

/// <summary>How a backfill run ended.</summary>
/// <param name="Interrupted">Stopped early by a signal: what finished is checkpointed, the rest is for a rerun.</param>
internal sealed record BackfillResult(bool Interrupted);

/// <summary>
/// The backfill loop. Discovery plans the day partitions; then two walks run side by side over the plan:
/// <list type="bullet">
/// <item>the counting walk lists every partition and only counts (objects and bytes to do, and what the checkpoint
/// has), holding no keys, so the totals and the ETA are known long before the work is done;</item>
/// <item>the work walk goes day by day: it lists every partition of a day (several at a time), sorts the day's
/// objects by the delivery time in their names, and hands them to the target (the pipeline or the queue) in that
/// order, while the next day is listed. So the records reach detections roughly in eventTime order, which their
/// threshold windows (a lateness allowance of minutes) need; a partition at a time would run each one through a
/// whole day and leave the others' hits behind the watermark.</item>
/// </list>
/// A dry run has only the counting walk. The checkpoint is saved every <c>checkpointInterval</c> and at the end, also
/// after an interruption: a stop request ends the listing, lets what was handed on finish (batches flush, messages go
/// out), and then saves.
/// </summary>
internal sealed partial class BackfillRunner(
    IObjectLister lister,
    BackfillSettings settings,
    BackfillCheckpoint checkpoint,
    BackfillProgress progress,
    PartitionTracker tracker,
    TimeProvider timeProvider,
    TimeSpan checkpointInterval,
    TextWriter error)
{
    /// <summary>Runs to the end, or until <paramref name="stop"/> asks for a clean stop.</summary>
    /// <param name="target">Where objects go; null for a dry run (count only, nothing saved).</param>
    /// <param name="stop">Ends the listing; what was handed on still finishes.</param>
    public async Task<BackfillResult> RunAsync(IBackfillTarget? target, CancellationToken stop)
    {
        using var saving = new CancellationTokenSource();
        var saver = target is null ? Task.CompletedTask : SaveEveryAsync(saving.Token);
        var interrupted = false;
        try
        {
            try
            {
                var plan = await new PartitionDiscovery(lister, settings).DiscoverAsync(stop).ConfigureAwait(false);
                progress.Planned(plan.PartitionCount);
                await WalkAsync(plan, target, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                interrupted = true;
            }
            finally
            {
                if (target is not null)
                {
                    await target.CompleteAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await saving.CancelAsync().ConfigureAwait(false);
            await saver.ConfigureAwait(false);
            if (target is not null)
            {
                await checkpoint.SaveAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new BackfillResult(interrupted);
    }

    /// <summary>The counting walk and, unless a dry run, the work walk; a failing work walk stops the counting.</summary>
    private async Task WalkAsync(PartitionPlan plan, IBackfillTarget? target, CancellationToken stop)
    {
        using var counting = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var count = CountAsync(plan, counting.Token);
        if (target is not null)
        {
            try
            {
                await WorkAsync(plan, target, stop).ConfigureAwait(false);
            }
            catch
            {
                await counting.CancelAsync().ConfigureAwait(false);
                await count.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
        }

        await count.ConfigureAwait(false);
    }

    private async Task SaveEveryAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(checkpointInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await checkpoint.SaveAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A periodic save that fails costs only a longer rerun; the final save's failure fails the run.
                    lock (error)
                    {
                        error.WriteLine($"checkpoint {checkpoint.Location}: save failed, will try again: {ex.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The final save follows.
        }
    }
}
