using TrailSieve.Core.CloudTrail;
using TrailSieve.Worker.Detections;
using TrailSieve.Core.Batching;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// A unit through the record channels: a chunk of one object's records (then, after the filter, its compressed kept
/// pieces), or the object's end marker, numbered so the writer can restore the object's order.
/// </summary>
internal sealed class ChunkWork(FileContext file, long sequence, RecordChunk? chunk)
{
    public FileContext File { get; } = file;

    public long Sequence { get; } = sequence;

    /// <summary>The records; null on the end marker. The filter disposes it once the pieces are made.</summary>
    public RecordChunk? Chunk { get; set; } = chunk;

    /// <summary>The object's end marker: reading finished (see <see cref="FileContext.Error"/>), no records.</summary>
    public bool IsEnd { get; } = chunk is null;

    public List<OutputPiece>? Pieces { get; set; }

    /// <summary>The findings the filter raised from this chunk's records (kept or dropped alike), compressed per alerts partition, or null.</summary>
    public List<FindingPiece>? Findings { get; set; }

    public int Records { get; set; }

    public int Kept { get; set; }

    public int Dropped { get; set; }

    /// <summary>Set by the filter when a record is not valid JSON: the whole object fails.</summary>
    public Exception? Error { get; set; }

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
