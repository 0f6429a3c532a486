using System.Buffers;
using System.IO.Compression;
using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Core.Batching;

/// <summary>
/// Kept records of one chunk for one output partition, already compressed into one gzip member (records joined by
/// commas, no brackets), or, for OCSF output, already mapped to OCSF events (<see cref="Events"/>, see
/// <see cref="OfEvents"/>); and, where the batch window deduplicates, each record's <see cref="PieceIdentities"/>.
/// Owns a pooled buffer (and its identities) until disposed.
/// </summary>
public sealed class OutputPiece(
    PartitionKey partition, byte[]? buffer, int length, int records, long rawBytes, CompressionLevel compressionLevel = CompressionLevel.Fastest, PieceIdentities? identities = null,
    GzipCodec? codec = null)
    : IDisposable
{
    private byte[]? _buffer = buffer;

    public PartitionKey Partition { get; } = partition;

    public int Records { get; } = records;

    /// <summary>Uncompressed bytes of the records and their separating commas.</summary>
    public long RawBytes { get; } = rawBytes;

    /// <summary>The level the piece was compressed at; a piece rebuilt without its duplicates keeps it.</summary>
    public CompressionLevel CompressionLevel { get; } = compressionLevel;

    /// <summary>The codec the piece was compressed with; a piece rebuilt without its duplicates keeps it.</summary>
    public GzipCodec Codec { get; } = codec ?? GzipCodec.Zlib;

    /// <summary>Where each record is and who it is, in order; null when nothing deduplicates (mirror mode, or the window is off).</summary>
    public PieceIdentities? Identities { get; private set; } = identities;

    /// <summary>The records as OCSF events, in order (one per identity), for an OCSF piece; null for a gzip piece.</summary>
    public IReadOnlyList<Ocsf.Model.OcsfEvent>? Events { get; private init; }

    public ReadOnlyMemory<byte> Compressed => (_buffer ?? throw new ObjectDisposedException(nameof(OutputPiece), Events is null ? null : "an OCSF piece has events, not gzip bytes")).AsMemory(0, length);

    /// <summary>
    /// An OCSF piece: <paramref name="events"/> of <paramref name="partition"/> (whose class they all are), mapped
    /// from records of <paramref name="rawBytes"/> bytes in all (what the batch size limit counts).
    /// </summary>
    public static OutputPiece OfEvents(PartitionKey partition, IReadOnlyList<Ocsf.Model.OcsfEvent> events, long rawBytes, PieceIdentities? identities = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new OutputPiece(partition, null, 0, events.Count, rawBytes, identities: identities) { Events = events };
    }

    /// <summary>This OCSF piece without the events <paramref name="drop"/> marks (by index); null when none is left.</summary>
    public OutputPiece? WithoutEvents(ReadOnlySpan<bool> drop)
    {
        var events = Events ?? throw new InvalidOperationException("a gzip piece has no events: rebuild it with PieceBuilder.Without");
        var kept = new List<Ocsf.Model.OcsfEvent>(events.Count);
        long rawBytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (i < drop.Length && drop[i])
            {
                continue;
            }

            kept.Add(events[i]);
            rawBytes += Identities is { } identities && i < identities.Count ? identities[i].Length : 0;
        }

        return kept.Count == 0 ? null : OfEvents(Partition, kept, rawBytes);
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        Identities?.Dispose();
        Identities = null;
    }
}
