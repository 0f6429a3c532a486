using System.IO.Compression;


namespace TrailSieve.Core.Batching;

/// <summary>Compresses kept records, comma-joined, into one gzip member for one partition.</summary>
public sealed class PieceBuilder(PartitionKey partition, CompressionLevel compressionLevel) : IDisposable
{
    private readonly PooledBufferStream _buffer = new(64 * 1024);
    private GZipStream? _gzip;
    private int _records;
    private long _rawBytes;

    public PartitionKey Partition { get; } = partition;

    public void Append(ReadOnlySpan<byte> record)
    {
        _gzip ??= new GZipStream(_buffer, compressionLevel, leaveOpen: true);
        if (_records > 0)
        {
            _gzip.WriteByte((byte)',');
            _rawBytes++;
        }

        _gzip.Write(record);
        _rawBytes += record.Length;
        _records++;
    }

    public OutputPiece Build()
    {
        _gzip?.Dispose();
        _gzip = null;
        var (buffer, length) = _buffer.Detach();
        return new OutputPiece(Partition, buffer, length, _records, _rawBytes);
    }

    public void Dispose()
    {
        _gzip?.Dispose();
        _buffer.Dispose();
    }
}
