using System.Diagnostics;
using System.Globalization;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Running totals of a backfill, updated from the listing workers and the pipeline's writer, read by the progress
/// reporter and the final summary. Totals grow while the listing runs; the ETA is given only once it has finished.
/// </summary>
internal sealed class BackfillProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
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
    private int _listingComplete;

    public long Partitions => Interlocked.Read(ref _partitions);

    public long PartitionsSkipped => Interlocked.Read(ref _partitionsSkipped);

    public long PartitionsDone => Interlocked.Read(ref _partitionsDone);

    /// <summary>Objects listed that this run has to handle (checkpointed ones excluded).</summary>
    public long ObjectsListed => Interlocked.Read(ref _objectsListed);

    public long BytesListed => Interlocked.Read(ref _bytesListed);

    public long ObjectsDone => Interlocked.Read(ref _objectsDone);

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    public long ObjectsFailed => Interlocked.Read(ref _objectsFailed);

    /// <summary>Objects of unfinished partitions that the checkpoint says are done.</summary>
    public long ObjectsSkipped => Interlocked.Read(ref _objectsSkipped);

    public long BytesSkipped => Interlocked.Read(ref _bytesSkipped);

    public bool ListingComplete => Volatile.Read(ref _listingComplete) == 1;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// The whole listing ran and matched no object, neither one to do nor one the checkpoint has: the bucket, prefix or
    /// filters are wrong. Everything done already (per the checkpoint) is not this.
    /// </summary>
    public bool FoundNothing => ListingComplete && ObjectsListed == 0 && ObjectsSkipped == 0 && PartitionsSkipped == 0;

    public void PartitionFound() => Interlocked.Increment(ref _partitions);

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

    public void CompleteListing() => Volatile.Write(ref _listingComplete, 1);

    /// <summary>Compressed bytes handled per second so far.</summary>
    public double BytesPerSecond => BytesDone / Math.Max(Elapsed.TotalSeconds, 1e-3);

    /// <summary>
    /// One status line: <c>[######----] 1,234/5,000 objects  1.2/4.5 GB  35.2 MB/s  ETA 0:01:30</c>; while listing,
    /// totals are marked with '+' and there is no ETA.
    /// </summary>
    public string Render(bool withBar)
    {
        var objects = ObjectsDone + ObjectsFailed;
        var listed = ObjectsListed;
        var complete = ListingComplete;
        var fraction = listed == 0 ? (complete ? 1 : 0) : Math.Clamp((double)BytesDone / Math.Max(BytesListed, 1), 0, 1);
        var more = complete ? string.Empty : "+";
        var eta = !complete ? "listing…" : BytesPerSecond <= 0 ? "ETA -" : "ETA " + FormatDuration(TimeSpan.FromSeconds((BytesListed - BytesDone) / BytesPerSecond));
        var bar = withBar ? "[" + new string('#', (int)(fraction * 24)).PadRight(24, '-') + "] " : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{bar}{objects:N0}/{listed:N0}{more} objects  {FormatBytes(BytesDone)}/{FormatBytes(BytesListed)}{more}  {BytesPerSecond / 1e6:F1} MB/s  {eta}  partitions {PartitionsDone + PartitionsSkipped:N0}/{Partitions:N0}{more}{(ObjectsFailed > 0 ? $"  failed {ObjectsFailed:N0}" : string.Empty)}");
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
