using System.Diagnostics;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// One object on its way through the stages. The read stage fills in how reading ended; everything else belongs to
/// the single write stage, so it needs no locks.
/// </summary>
internal sealed class FileContext(ObjectWork work, long startTimestamp)
{
    public ObjectWork Work { get; } = work;

    /// <summary>The object's span, from reading to its outcome.</summary>
    public Activity? Activity { get; set; }

    public long StartTimestamp { get; } = startTimestamp;

    public long Records { get; set; }

    public long Kept { get; set; }

    public long Dropped { get; set; }

    public long SourceBytes { get; set; }

    public long DecodedBytes { get; set; }

    public bool IsDigest { get; set; }

    /// <summary>Why the object was deliberately not processed (e.g. deleted since announced), or null.</summary>
    public string? SkipReason { get; set; }

    /// <summary>Why the object failed, once it has.</summary>
    public Exception? Error { get; set; }

    /// <summary>The next chunk sequence number the writer may take (chunks come back from the filter out of order).</summary>
    public long NextSequence { get; set; }

    public SortedDictionary<long, ChunkWork>? Pending { get; set; }

    /// <summary>Mirror mode: the object being written, once a record was kept.</summary>
    public IOutputObject? MirrorOutput { get; set; }

    /// <summary>Batch mode: pieces held until the object is read whole, so a failed object contributes nothing.</summary>
    public List<OutputPiece>? Staged { get; set; }

    /// <summary>Findings held until the object was read whole, like its pieces: a failed object writes none.</summary>
    public List<FindingPiece>? StagedFindings { get; set; }

    /// <summary>The outcome was reported: an object is reported exactly once (its message's count depends on it).</summary>
    public bool Reported { get; set; }

    /// <summary>
    /// Open batches holding this object's records (batch mode) or findings (either mode); the object is done, and its
    /// message may be deleted, only when none is left.
    /// </summary>
    public int OpenBatches { get; set; }
}
