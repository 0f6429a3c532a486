using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Core.Batching;

/// <summary>
/// Compresses kept records, comma-joined, into one gzip member for one partition; with <c>identities</c>, also notes
/// each record's place and identity (<see cref="PieceIdentities"/>) for the batch window. Compresses with
/// <c>codec</c> (zlib when none is given).
/// </summary>
public sealed class PieceBuilder(PartitionKey partition, CompressionLevel compressionLevel, bool identities = false, GzipCodec? codec = null) : IDisposable
{
    private readonly PooledBufferStream _buffer = new(64 * 1024);
    private readonly GzipCodec _codec = codec ?? GzipCodec.Zlib;
    private Stream? _gzip;
    private PieceIdentities? _identities = identities ? new PieceIdentities() : null;
    private int _records;
    private long _rawBytes;

    public PartitionKey Partition { get; } = partition;

    public void Append(ReadOnlySpan<byte> record) => Append(record, default);

    /// <summary>Appends <paramref name="record"/>, whose eventID value is <paramref name="eventId"/> (empty: none).</summary>
    public void Append(ReadOnlySpan<byte> record, ReadOnlySpan<byte> eventId)
    {
        _gzip ??= _codec.CreateCompressor(_buffer, compressionLevel, leaveOpen: true);
        if (_records > 0)
        {
            _gzip.WriteByte((byte)',');
            _rawBytes++;
        }

        _identities?.Add(checked((int)_rawBytes), record, eventId);
        _gzip.Write(record);
        _rawBytes += record.Length;
        _records++;
    }

    public OutputPiece Build()
    {
        _gzip?.Dispose();
        _gzip = null;
        var (buffer, length) = _buffer.Detach();
        var identities = _identities;
        _identities = null;
        return new OutputPiece(Partition, buffer, length, _records, _rawBytes, compressionLevel, identities, _codec);
    }

    /// <summary>
    /// <paramref name="piece"/> without the records <paramref name="drop"/> marks (by index), recompressed at its level
    /// with its codec; null when none is left. The rare path of the batch window: the piece is decompressed once, the rest copied.
    /// </summary>
    public static OutputPiece? Without(OutputPiece piece, ReadOnlySpan<bool> drop)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var identities = piece.Identities ?? throw new ArgumentException("the piece has no record identities to rebuild it by", nameof(piece));
        var raw = ArrayPool<byte>.Shared.Rent(checked((int)piece.RawBytes));
        try
        {
            if (!MemoryMarshal.TryGetArray(piece.Compressed, out var compressed))
            {
                throw new ArgumentException("the piece's bytes are not in an array", nameof(piece));
            }

            using (var input = new DecodingStream(new MemoryStream(compressed.Array!, compressed.Offset, compressed.Count, writable: false), piece.Codec))
            {
                input.ReadExactly(raw, 0, (int)piece.RawBytes);
            }

            using var builder = new PieceBuilder(piece.Partition, piece.CompressionLevel, codec: piece.Codec);
            var any = false;
            for (var i = 0; i < identities.Count; i++)
            {
                if (i < drop.Length && drop[i])
                {
                    continue;
                }

                var record = identities[i];
                builder.Append(raw.AsSpan(record.Offset, record.Length));
                any = true;
            }

            return any ? builder.Build() : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    public void Dispose()
    {
        _gzip?.Dispose();
        _buffer.Dispose();
        _identities?.Dispose();
        _identities = null;
    }
}
