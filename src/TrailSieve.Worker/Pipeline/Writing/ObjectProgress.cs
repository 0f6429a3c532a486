using TrailSieve.Core.Batching;
using TrailSieve.Worker.Detections;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// The write stage's own record of one object, from its first chunk to its outcome: counts, what is held back until
/// the object is read whole, how many open batches still hold its records or findings, and whether it failed. Only
/// the single writer touches it, so it needs no locks.
/// </summary>
internal sealed class ObjectProgress(TrackedObject obj)
{
    public TrackedObject Object { get; } = obj;

    public long Records { get; set; }

    public long Kept { get; set; }

    public long Dropped { get; set; }

    /// <summary>Records put aside as unusable (not counted in <see cref="Records"/>).</summary>
    public long Quarantined { get; set; }

    /// <summary>Quarantined records held until the object is read whole, like its findings: a failed object writes none.</summary>
    public List<Core.CloudTrail.QuarantinedRecord>? StagedQuarantine { get; set; }

    /// <summary>Kept records not written because their batch already held them (<see cref="BatchDeduplicator"/>).</summary>
    public long Deduplicated { get; set; }

    /// <summary>How reading ended, once the object's end has arrived.</summary>
    public ReadEnd? End { get; set; }

    /// <summary>Why the object failed, once it has.</summary>
    public Exception? Error { get; set; }

    /// <summary>Batch mode: pieces held until the object is read whole, so a failed object contributes nothing.</summary>
    public List<OutputPiece>? StagedPieces { get; set; }

    /// <summary>Findings held until the object is read whole, like its pieces: a failed object writes none.</summary>
    public List<FindingPiece>? StagedFindings { get; set; }

    /// <summary>
    /// Open batches holding this object's records (batch mode), findings or quarantine lines (either mode); the object
    /// is done, and its message may be deleted, only when none is left.
    /// </summary>
    public int OpenBatches { get; set; }

    /// <summary>The outcome was sent: an object has exactly one (its message's count depends on it).</summary>
    public bool Reported { get; set; }

    /// <summary>Gives back what is held for an object that will not be written.</summary>
    public void DiscardStaged()
    {
        if (StagedPieces is not null)
        {
            foreach (var piece in StagedPieces)
            {
                piece.Dispose();
            }

            StagedPieces = null;
        }

        StagedFindings = null;
        StagedQuarantine = null;
    }
}
