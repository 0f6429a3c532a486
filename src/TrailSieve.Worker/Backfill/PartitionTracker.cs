using TrailSieve.Core.Layout;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Knows, per day partition in progress, how many of its objects are still out; a partition is checkpointed as done
/// when its listing has ended and every object in it succeeded. An object that failed keeps its partition open, so a
/// rerun lists the partition again and retries just what did not finish. Totals are not counted here: the counting
/// walk does that (<see cref="BackfillProgress"/>); this counts what was done and failed.
/// </summary>
internal sealed class PartitionTracker(BackfillCheckpoint checkpoint, BackfillProgress progress, TextWriter error)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _open = new(StringComparer.Ordinal);

    /// <summary>Starts tracking a partition whose listing begins.</summary>
    public void Open(TrailPartition partition)
    {
        lock (_lock)
        {
            _open[partition.Id] = new State();
        }
    }

    /// <summary>An object the checkpoint already has: it counts towards the partition, nothing is done with it.</summary>
    public void AlreadyDone(TrailPartition partition, ListedObject item)
    {
        lock (_lock)
        {
            var state = _open[partition.Id];
            state.Objects++;
            state.Bytes += item.Size;
            state.Keys.Add(item.Key);
        }
    }

    /// <summary>An object handed on; <see cref="Succeeded"/> or <see cref="Failed"/> follows.</summary>
    public void Submitted(TrailPartition partition, ListedObject item)
    {
        lock (_lock)
        {
            var state = _open[partition.Id];
            state.Pending++;
            state.Objects++;
            state.Bytes += item.Size;
        }
    }

    /// <summary>The object's output is durable (or its message is sent, or it needed nothing).</summary>
    public void Succeeded(TrailPartition partition, string key, long bytes)
    {
        progress.Done(bytes);
        checkpoint.MarkObject(key);
        Finish(partition, key, failed: false);
    }

    /// <summary>The object could not be handled; its reason goes to stderr with its name.</summary>
    public void Failed(TrailPartition partition, string name, string key, long bytes, string reason)
    {
        progress.Failed(bytes);
        lock (error)
        {
            error.WriteLine($"{name}: {reason}");
        }

        Finish(partition, key, failed: true);
    }

    /// <summary>The partition's listing has ended (not called when it was interrupted).</summary>
    public void ListingDone(TrailPartition partition) => Finish(partition, key: null, failed: false, listingDone: true);

    private void Finish(TrailPartition partition, string? key, bool failed, bool listingDone = false)
    {
        State state;
        lock (_lock)
        {
            state = _open[partition.Id];
            if (key is not null)
            {
                state.Pending--;
                if (failed)
                {
                    state.Failed = true;
                }
                else
                {
                    state.Keys.Add(key);
                }
            }

            state.ListingDone |= listingDone;
            if (!state.ListingDone || state.Pending > 0)
            {
                return;
            }

            _open.Remove(partition.Id);
        }

        if (!state.Failed)
        {
            checkpoint.MarkPartition(partition.Id, state.Objects, state.Bytes, state.Keys);
            progress.PartitionDone();
        }
    }

    private sealed class State
    {
        public int Pending { get; set; }

        public long Objects { get; set; }

        public long Bytes { get; set; }

        public bool Failed { get; set; }

        public bool ListingDone { get; set; }

        public List<string> Keys { get; } = [];
    }
}
