using TrailSieve.Core.Batching;
using TrailSieve.Worker.Detections;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Filter stage → write stage: what became of one <see cref="ReadChunk"/>: its counts, its kept records compressed
/// per output partition, its findings, or why it failed; or the object's end, passed through.
/// </summary>
internal sealed class FilteredChunk(TrackedObject obj, long sequence)
{
    public TrackedObject Object { get; } = obj;

    public long Sequence { get; } = sequence;

    /// <summary>How reading ended, on the object's last chunk; null otherwise.</summary>
    public ReadEnd? End { get; init; }

    /// <summary>An unusable record put aside by the reader, passed through to the quarantine; null otherwise.</summary>
    public Core.CloudTrail.QuarantinedRecord? Quarantined { get; init; }

    /// <summary>OCSF output: kept records that could not be mapped, put aside for the quarantine (not counted in <see cref="Records"/> or <see cref="Kept"/>); null when none.</summary>
    public List<Core.CloudTrail.QuarantinedRecord>? Unmappable { get; init; }

    public int Records { get; init; }

    public int Kept { get; init; }

    public int Dropped { get; init; }

    /// <summary>Kept records, one gzip piece (or OCSF piece) per output partition, or null (none kept, or nothing is written).</summary>
    public List<OutputPiece>? Pieces { get; set; }

    /// <summary>The findings raised from this chunk's records (kept or dropped alike), compressed per findings partition, or null.</summary>
    public List<FindingPiece>? Findings { get; set; }

    /// <summary>Why filtering the chunk failed (a record that is not valid JSON): the whole object fails.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gives the pieces' pooled buffers back; the writer calls it once it has copied or taken them.</summary>
    public void DisposePieces()
    {
        if (Pieces is null)
        {
            return;
        }

        foreach (var piece in Pieces)
        {
            piece.Dispose();
        }

        Pieces = null;
    }
}
