using System.Buffers;
using System.IO.Compression;
using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Core.Batching;

/// <summary>
/// Kept records of one chunk for one output partition, already compressed into one gzip member (records joined by
/// commas, no brackets), and, where the batch window deduplicates, each record's <see cref="PieceIdentities"/>.
/// Owns a pooled buffer (and its identities) until disposed.
/// </summary>
public sealed class OutputPiece(
    PartitionKey partition, byte[] buffer, int length, int records, long rawBytes, CompressionLevel compressionLevel = CompressionLevel.Fastest, PieceIdentities? identities = null,
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

    public ReadOnlyMemory<byte> Compressed => (_buffer ?? throw new ObjectDisposedException(nameof(OutputPiece))).AsMemory(0, length);

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
