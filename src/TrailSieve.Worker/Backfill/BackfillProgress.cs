using System.Globalization;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Running totals of a backfill, read by the progress reporter and the final summary. The totals (objects and bytes
/// to do, and what the checkpoint has) come from the counting walk, which only lists and runs ahead of the work; the
/// done, failed and partition counts come from the work itself. Rates and the ETA are measured on the injected clock.
/// </summary>
internal sealed class BackfillProgress(TimeProvider timeProvider)
{
    private readonly long _started = timeProvider.GetTimestamp();
    private long _partitions;
    private long _partitionsSkipped;
    private long _partitionsDone;
    private long _objectsListed;
    private long _bytesListed;
    private long _objectsDone;
    private long _bytesDone;
    private long _objectsFailed;
    private long _objectsSkipped;
    private long _bytesSkipped;
    private long _objectsExcluded;
    private long _bytesExcluded;
    private readonly TaskCompletionSource _listingCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Day partitions the discovery planned.</summary>
    public long Partitions => Interlocked.Read(ref _partitions);

    /// <summary>Partitions the checkpoint has as done (not listed again).</summary>
    public long PartitionsSkipped => Interlocked.Read(ref _partitionsSkipped);

    public long PartitionsDone => Interlocked.Read(ref _partitionsDone);

    /// <summary>Objects this run has to handle (checkpointed ones excluded), as far as the counting walk has got.</summary>
    public long ObjectsListed => Interlocked.Read(ref _objectsListed);

    public long BytesListed => Interlocked.Read(ref _bytesListed);

    public long ObjectsDone => Interlocked.Read(ref _objectsDone);

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public long ObjectsFailed => Interlocked.Read(ref _objectsFailed);

    /// <summary>Objects of unfinished partitions that the checkpoint says are done.</summary>
    public long ObjectsSkipped => Interlocked.Read(ref _objectsSkipped);

    public long BytesSkipped => Interlocked.Read(ref _bytesSkipped);

    /// <summary>Objects the key filter skipped (<see cref="BackfillSettings.Keys"/>): listed, never downloaded, not in <see cref="ObjectsListed"/>.</summary>
    public long ObjectsExcluded => Interlocked.Read(ref _objectsExcluded);

    public long BytesExcluded => Interlocked.Read(ref _bytesExcluded);

    /// <summary>The counting walk has listed everything: the totals are final.</summary>
    public bool ListingComplete => _listingCompleted.Task.IsCompleted;

    /// <summary>Completes when the counting walk has listed everything.</summary>
    public Task ListingCompleted => _listingCompleted.Task;

    public TimeSpan Elapsed => timeProvider.GetElapsedTime(_started);

    /// <summary>
    /// The whole listing ran and matched no object, neither one to do nor one the checkpoint has: the bucket, prefix or
    /// filters are wrong. Everything done already (per the checkpoint) is not this.
    /// </summary>
    public bool FoundNothing => ListingComplete && ObjectsListed == 0 && ObjectsSkipped == 0 && PartitionsSkipped == 0;

    /// <summary>Compressed bytes handled per second so far.</summary>
    public double BytesPerSecond => BytesDone / Math.Max(Elapsed.TotalSeconds, 1e-3);

    /// <summary>Objects handled (done or failed) per second so far.</summary>
    public double ObjectsPerSecond => (ObjectsDone + ObjectsFailed) / Math.Max(Elapsed.TotalSeconds, 1e-3);

    /// <summary>
    /// Time left at the rates so far: the longer of what the bytes and what the objects left would take, so neither
    /// large objects early nor small ones late make it optimistic. Null until the totals are final and work was done.
    /// </summary>
    public TimeSpan? Eta
    {
        get
        {
            var handled = ObjectsDone + ObjectsFailed;
            if (!ListingComplete || handled == 0)
            {
                return null;
            }

            var left = BackfillEstimate.Of(Math.Max(ObjectsListed - handled, 0), Math.Max(BytesListed - BytesDone, 0), BytesPerSecond / 1e6, ObjectsPerSecond, tasks: 1);
            return TimeSpan.FromSeconds(Math.Ceiling(left.PerTask.TotalSeconds));
        }
    }

    public void Planned(long partitions) => Interlocked.Exchange(ref _partitions, partitions);

    public void PartitionSkipped() => Interlocked.Increment(ref _partitionsSkipped);

    public void PartitionDone() => Interlocked.Increment(ref _partitionsDone);

    public void Listed(long bytes)
    {
        Interlocked.Increment(ref _objectsListed);
        Interlocked.Add(ref _bytesListed, bytes);
    }

    public void ObjectSkipped(long bytes)
    {
        Interlocked.Increment(ref _objectsSkipped);
        Interlocked.Add(ref _bytesSkipped, bytes);
    }

    public void Excluded(long bytes)
    {
        Interlocked.Increment(ref _objectsExcluded);
        Interlocked.Add(ref _bytesExcluded, bytes);
    }

    public void Done(long bytes)
    {
        Interlocked.Increment(ref _objectsDone);
        Interlocked.Add(ref _bytesDone, bytes);
    }

    public void Failed(long bytes)
    {
        Interlocked.Increment(ref _objectsFailed);
        Interlocked.Add(ref _bytesDone, bytes);
    }

    public void CompleteListing() => _listingCompleted.TrySetResult();

    /// <summary>
    /// One status line. While the counting walk runs: <c>120 objects done (4.1 MB)  2.0 MB/s  listing… 5,000 objects
    /// (180.0 MB) so far  partitions 3/40</c>; then <c>[######----] 1,234/5,000 objects  1.2/4.5 GB  35.2 MB/s  ETA
    /// 0:01:30  partitions 10/40</c>, the bar only when asked for; <c>failed N</c> and <c>skipped by key N</c> follow when not 0.
    /// </summary>
    public string Render(bool withBar)
    {
        var handled = ObjectsDone + ObjectsFailed;
        var rate = string.Create(CultureInfo.InvariantCulture, $"{BytesPerSecond / 1e6:F1} MB/s");
        var partitions = string.Create(CultureInfo.InvariantCulture, $"partitions {PartitionsDone + PartitionsSkipped:N0}/{Partitions:N0}");
        var failed = (ObjectsFailed > 0 ? string.Create(CultureInfo.InvariantCulture, $"  failed {ObjectsFailed:N0}") : string.Empty)
            + (ObjectsExcluded > 0 ? string.Create(CultureInfo.InvariantCulture, $"  skipped by key {ObjectsExcluded:N0}") : string.Empty);
        if (!ListingComplete)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{handled:N0} objects done ({FormatBytes(BytesDone)})  {rate}  listing… {ObjectsListed:N0} objects ({FormatBytes(BytesListed)}) so far  {partitions}{failed}");
        }

        var fraction = ObjectsListed == 0 ? 1 : Math.Clamp((double)BytesDone / Math.Max(BytesListed, 1), 0, 1);
        var bar = withBar ? "[" + new string('#', (int)(fraction * 24)).PadRight(24, '-') + "] " : string.Empty;
        var eta = Eta is { } left ? "ETA " + FormatDuration(left) : "ETA -";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{bar}{handled:N0}/{ObjectsListed:N0} objects  {FormatBytes(BytesDone)}/{FormatBytes(BytesListed)}  {rate}  {eta}  {partitions}{failed}");
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1_000_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e12:F2} TB"),
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F2} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:F1} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    public static string FormatDuration(TimeSpan duration) =>
        duration.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays}d {duration.Hours}h {duration.Minutes:D2}m")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}:{duration.Minutes:D2}:{duration.Seconds:D2}");
}
