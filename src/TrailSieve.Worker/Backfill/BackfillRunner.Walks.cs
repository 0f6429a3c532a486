using System.Threading.Channels;
using TrailSieve.Core.Layout;
using TrailSieve.Core.Notifications;

namespace TrailSieve.Worker.Backfill;

/// <summary>The counting walk and the work walk over a plan.</summary>
internal sealed partial class BackfillRunner
{
    /// <summary>
    /// Lists every partition the checkpoint did not have at the start and counts its objects (those the key filter
    /// skips apart); keeps nothing else. It asks what earlier runs finished, not the live checkpoint, which the work
    /// walk beside it changes.
    /// </summary>
    private async Task CountAsync(PartitionPlan plan, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(plan.Partitions, Parallelism(cancellationToken), async (partition, ct) =>
        {
            if (checkpoint.WasPartitionDone(partition.Id))
            {
                progress.PartitionSkipped();
                return;
            }

            await foreach (var item in ListLogFilesAsync(partition, ct).ConfigureAwait(false))
            {
                if (settings.Keys.SkipReason(item.Key) is not null)
                {
                    progress.Excluded(item.Size);
                }
                else if (checkpoint.WasObjectDone(item.Key))
                {
                    progress.ObjectSkipped(item.Size);
                }
                else
                {
                    progress.Listed(item.Size);
                }
            }
        }).ConfigureAwait(false);
        progress.CompleteListing();
    }

    /// <summary>
    /// Day by day: the next day is listed while this one's objects go to the target in delivery-time order. At most
    /// two days of keys are held: the one being handed on and the next one, listed.
    /// </summary>
    private async Task WorkAsync(PartitionPlan plan, IBackfillTarget target, CancellationToken stop)
    {
        var days = Channel.CreateBounded<ListedDay>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var listing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var lister = ListDaysAsync(plan, days.Writer, listing.Token);
        try
        {
            await foreach (var day in days.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                foreach (var item in day.Items)
                {
                    tracker.Submitted(item.Partition, new ListedObject(item.Object.Key, item.Object.Size ?? 0));
                    await target.SubmitAsync(item, stop).ConfigureAwait(false);
                }

                foreach (var partition in day.Partitions)
                {
                    tracker.ListingDone(partition);
                }
            }
        }
        finally
        {
            // A listing failure completes the channel with it, so the loop above has already rethrown it; here the
            // lister only has to be stopped (when the loop ends early) and awaited.
            await listing.CancelAsync().ConfigureAwait(false);
            await lister.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Lists each day of the plan into <paramref name="writer"/>, one day ahead of the reader at most.</summary>
    private async Task ListDaysAsync(PartitionPlan plan, ChannelWriter<ListedDay> writer, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var day in plan.Days)
            {
                // Wait until the reader has taken the previous day before listing this one.
                if (!await writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var listed = await ListDayAsync(day, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(listed, cancellationToken).ConfigureAwait(false);
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>
    /// Every partition of the day the checkpoint does not have, listed several at a time; their objects the key filter
    /// lets through and the checkpoint does not have either, sorted by the delivery time in the file name (then by key).
    /// </summary>
    private async Task<ListedDay> ListDayAsync(TrailDay day, CancellationToken cancellationToken)
    {
        var open = day.Partitions.Where(p => !checkpoint.WasPartitionDone(p.Id)).ToList();
        var items = new List<BackfillItem>[open.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, open.Count), Parallelism(cancellationToken), async (i, ct) =>
        {
            var partition = open[i];
            var found = new List<BackfillItem>();
            tracker.Open(partition);
            await foreach (var item in ListLogFilesAsync(partition, ct).ConfigureAwait(false))
            {
                if (settings.Keys.SkipReason(item.Key) is not null)
                {
                    // Counted by the counting walk; not part of the partition's work, so not in its checkpoint entry.
                    continue;
                }

                if (checkpoint.WasObjectDone(item.Key))
                {
                    tracker.AlreadyDone(partition, item);
                }
                else
                {
                    found.Add(new BackfillItem(partition, new ObjectRef(settings.Bucket, item.Key, item.Size)));
                }
            }

            items[i] = found;
        }).ConfigureAwait(false);

        var ordered = items.SelectMany(i => i)
            .OrderBy(i => LogFileName.TryParseTime(i.Object.Key, out var time) ? time : DateTimeOffset.MaxValue)
            .ThenBy(i => i.Object.Key, StringComparer.Ordinal)
            .ToList();
        return new ListedDay(open, ordered);
    }

    /// <summary>A partition's objects, without the folder placeholders some tools create.</summary>
    private async IAsyncEnumerable<ListedObject> ListLogFilesAsync(TrailPartition partition, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in lister.ListObjectsAsync(settings.Bucket, partition.Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!item.Key.EndsWith('/'))
            {
                yield return item;
            }
        }
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = settings.ListParallelism, CancellationToken = cancellationToken };

    /// <summary>One day listed: its open partitions, and their objects in the order they go to the target.</summary>
    private sealed record ListedDay(IReadOnlyList<TrailPartition> Partitions, IReadOnlyList<BackfillItem> Items);
}
