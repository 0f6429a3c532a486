using System.Buffers;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// Batch mode's duplicate step: checks each record of a piece against its open batch's <see cref="DedupWindow"/> (at
/// most <c>window</c> records), and returns the piece to append: itself when no record is a duplicate (the normal
/// path, nothing copied), rebuilt without the duplicates (decompressed once and recompressed, the rare path; an OCSF
/// piece's events are only filtered), or null
/// when every record was one. Duplicates are counted on the object (its outcome, the log line, RecordsDeduplicated).
/// The window lives in the batch, so a batch that fails to commit takes its window with it and the retry starts clean.
/// </summary>
internal sealed class BatchDeduplicator(int window, PipelineCounters counters, ILogger logger)
{
    /// <summary>The records of <paramref name="piece"/>, bound for <paramref name="batch"/>, that <paramref name="obj"/> should still write.</summary>
    /// <returns><paramref name="piece"/>, a new piece the caller disposes, or null.</returns>
    public OutputPiece? Apply(OpenBatch<PartitionKey> batch, OutputPiece piece, ObjectProgress obj)
    {
        if (piece.Identities is not { } identities)
        {
            return piece;
        }

        var seen = batch.Dedup ??= new DedupWindow(window);
        var wasFull = seen.NotRemembered > 0;
        bool[]? drop = null;
        var duplicates = 0;
        try
        {
            for (var i = 0; i < identities.Count; i++)
            {
                var record = identities[i];
                if (record.HasEventId && seen.Check(identities.EventId(record), record.IdHash, record.BodyHash) == DedupCheck.Duplicate)
                {
                    if (drop is null)
                    {
                        drop = ArrayPool<bool>.Shared.Rent(identities.Count);
                        Array.Clear(drop, 0, identities.Count);
                    }

                    drop[i] = true;
                    duplicates++;
                }
            }

            if (!wasFull && seen.NotRemembered > 0)
            {
                counters.AddDedupWindowFull();
                Log.DedupWindowFull(logger, batch.Output.Key, seen.Count);
            }

            if (duplicates == 0)
            {
                return piece;
            }

            obj.Deduplicated += duplicates;
            Log.DuplicatesDropped(logger, duplicates, obj.Object.Name, batch.Output.Key);
            return piece.Events is null ? PieceBuilder.Without(piece, drop.AsSpan(0, identities.Count)) : piece.WithoutEvents(drop.AsSpan(0, identities.Count));
        }
        finally
        {
            if (drop is not null)
            {
                ArrayPool<bool>.Shared.Return(drop);
            }
        }
    }
}
