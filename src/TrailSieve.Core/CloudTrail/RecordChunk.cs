using System.Buffers;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// Consecutive records of one object, copied back to back into one pooled buffer so that they can outlive the pipe's
/// buffer and cross channels. Disposing returns the buffers to the pool; a chunk has one owner at a time.
/// </summary>
public sealed class RecordChunk : IDisposable
{
    private const int InitialOffsets = 256;

    private byte[]? _buffer;
    private int[]? _ends;
    private long[]? _offsets;
    private int _length;

    public RecordChunk(int capacity, long firstRecordIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        _ends = ArrayPool<int>.Shared.Rent(InitialOffsets);
        _offsets = ArrayPool<long>.Shared.Rent(InitialOffsets);
        FirstRecordIndex = firstRecordIndex;
    }

    /// <summary>Index, within its object, of the chunk's first record.</summary>
    public long FirstRecordIndex { get; }

    /// <summary>Number of records.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes of all records together (no separators).</summary>
    public int ByteCount => _length;

    /// <summary>Copies <paramref name="record"/> in; false (and nothing copied) when it does not fit.</summary>
    public bool TryAppend(in ReadOnlySequence<byte> record) => TryAppend(record, -1);

    /// <summary>
    /// Copies <paramref name="record"/>, found at byte <paramref name="offset"/> of its decoded document, in; false (and
    /// nothing copied) when it does not fit.
    /// </summary>
    public bool TryAppend(in ReadOnlySequence<byte> record, long offset)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(RecordChunk));
        if (record.Length > buffer.Length - _length)
        {
            return false;
        }

        var ends = _ends!;
        if (Count == ends.Length)
        {
            var grown = ArrayPool<int>.Shared.Rent(ends.Length * 2);
            ends.AsSpan().CopyTo(grown);
            ArrayPool<int>.Shared.Return(ends);
            _ends = ends = grown;
            var grownOffsets = ArrayPool<long>.Shared.Rent(grown.Length);
            _offsets.AsSpan(0, Count).CopyTo(grownOffsets);
            ArrayPool<long>.Shared.Return(_offsets!);
            _offsets = grownOffsets;
        }

        _offsets![Count] = offset;
        record.CopyTo(buffer.AsSpan(_length));
        _length += (int)record.Length;
        ends[Count++] = _length;
        return true;
    }

    /// <summary>The exact bytes of record <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index] => GetMemory(index).Span;

    /// <summary>The exact bytes of record <paramref name="index"/>.</summary>
    public ReadOnlyMemory<byte> GetMemory(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var start = index == 0 ? 0 : _ends![index - 1];
        return _buffer.AsMemory(start, _ends![index] - start);
    }

    /// <summary>Byte offset of record <paramref name="index"/> in its decoded document, or -1 when it was not given.</summary>
    public long OffsetOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _offsets![index];
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        if (_ends is not null)
        {
            ArrayPool<int>.Shared.Return(_ends);
            _ends = null;
        }

        if (_offsets is not null)
        {
            ArrayPool<long>.Shared.Return(_offsets);
            _offsets = null;
        }

        Count = 0;
        _length = 0;
    }
}
