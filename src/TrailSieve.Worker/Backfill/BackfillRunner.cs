using TrailSieve.Core.Layout;
using TrailSieve.Core.Notifications;

namespace TrailSieve.Worker.Backfill;

/// <summary>How a backfill run ended.</summary>
/// <param name="Interrupted">Stopped early by a signal: what finished is checkpointed, the rest is for a rerun.</param>
internal sealed record BackfillResult(bool Interrupted);

/// <summary>
/// The backfill loop: discovers day partitions, lists each one (several at a time), skips what the checkpoint has,
/// and hands every other object to the target (the pipeline or the queue), or only counts it in a dry run. The
/// checkpoint is saved every <c>checkpointInterval</c> and at the end, also after an interruption: a stop request ends
/// the listing, lets what was handed on finish (batches flush, messages go out), and then saves.
/// </summary>
internal sealed class BackfillRunner(
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
                await ListAsync(target, stop).ConfigureAwait(false);
                progress.CompleteListing();
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

    private async Task ListAsync(IBackfillTarget? target, CancellationToken stop)
    {
        var discovery = new PartitionDiscovery(lister, settings);
        await Parallel.ForEachAsync(
            discovery.DiscoverAsync(stop),
            new ParallelOptions { MaxDegreeOfParallelism = settings.ListParallelism, CancellationToken = stop },
            async (partition, ct) =>
            {
                progress.PartitionFound();
                if (checkpoint.IsPartitionDone(partition.Id))
                {
                    progress.PartitionSkipped();
                    return;
                }

                await ListPartitionAsync(partition, target, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private async Task ListPartitionAsync(TrailPartition partition, IBackfillTarget? target, CancellationToken cancellationToken)
    {
        if (target is not null)
        {
            tracker.Open(partition);
        }

        await foreach (var item in lister.ListObjectsAsync(settings.Bucket, partition.Prefix, cancellationToken).ConfigureAwait(false))
        {
            // Folder placeholders some tools create are not log files.
            if (item.Key.EndsWith('/'))
            {
                continue;
            }

            if (checkpoint.IsObjectDone(item.Key))
            {
                if (target is null)
                {
                    progress.ObjectSkipped(item.Size);
                }
                else
                {
                    tracker.AlreadyDone(partition, item);
                }

                continue;
            }

            if (target is null)
            {
                progress.Listed(item.Size);
                continue;
            }

            tracker.Submitted(partition, item);
            await target.SubmitAsync(new BackfillItem(partition, new ObjectRef(settings.Bucket, item.Key, item.Size)), cancellationToken).ConfigureAwait(false);
        }

        if (target is not null)
        {
            tracker.ListingDone(partition);
        }
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
