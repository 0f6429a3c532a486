using System.Buffers;

namespace TrailSieve.Core.Batching;

/// <summary>
/// Kept records of one chunk for one output partition, already compressed into one gzip member (records joined by
/// commas, no brackets). Owns a pooled buffer until disposed.
/// </summary>
public sealed class OutputPiece(PartitionKey partition, byte[] buffer, int length, int records, long rawBytes) : IDisposable
{
    private byte[]? _buffer = buffer;

    public PartitionKey Partition { get; } = partition;

    public int Records { get; } = records;

    /// <summary>Uncompressed bytes of the records and their separating commas.</summary>
    public long RawBytes { get; } = rawBytes;

    public ReadOnlyMemory<byte> Compressed => (_buffer ?? throw new ObjectDisposedException(nameof(OutputPiece))).AsMemory(0, length);

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
