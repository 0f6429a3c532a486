using System.Buffers;
using System.IO.Hashing;

namespace TrailSieve.Core.Batching;

/// <summary>
/// The <see cref="RecordIdentity"/> of every record of one piece, in order, with their eventIDs' bytes. Built by the
/// filter worker that compresses the piece (hashing runs in parallel there), read by the writer's batch window. Owns
/// pooled buffers until disposed.
/// </summary>
public sealed class PieceIdentities : IDisposable
{
    /// <summary>
    /// The longest eventID remembered (CloudTrail's are 36-byte UUIDs); a longer one counts as none, so the window's
    /// memory per record stays bounded and such a record is never merged.
    /// </summary>
    public const int MaxEventIdBytes = 64;

    private RecordIdentity[] _records = ArrayPool<RecordIdentity>.Shared.Rent(64);
    private byte[] _ids = ArrayPool<byte>.Shared.Rent(64 * 36);
    private int _count;
    private int _idBytes;

    public int Count => _count;

    public RecordIdentity this[int index] =>
        (uint)index < (uint)_count ? _records[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The eventID bytes of <paramref name="record"/> (empty when it has none).</summary>
    public ReadOnlySpan<byte> EventId(in RecordIdentity record) => _ids.AsSpan(record.IdStart, record.IdLength);

    /// <summary>A hash of an eventID's bytes (the JSON string's content, still escaped).</summary>
    public static ulong HashEventId(ReadOnlySpan<byte> eventId) => XxHash3.HashToUInt64(eventId);

    /// <summary>A hash of a record's bytes, independent of <see cref="HashEventId"/> (another seed).</summary>
    public static ulong HashRecord(ReadOnlySpan<byte> record) => XxHash3.HashToUInt64(record, seed: 0x5EED_D00D);

    /// <summary>Adds the record at <paramref name="offset"/> of the piece's text with its eventID (empty: none).</summary>
    public void Add(int offset, ReadOnlySpan<byte> record, ReadOnlySpan<byte> eventId)
    {
        if (_count == _records.Length)
        {
            _records = Grow(_records, _count, _count * 2);
        }

        if (eventId.Length > MaxEventIdBytes)
        {
            eventId = default;
        }

        if (eventId.Length > _ids.Length - _idBytes)
        {
            _ids = Grow(_ids, _idBytes, Math.Max(_ids.Length * 2, _idBytes + eventId.Length));
        }

        var identity = eventId.IsEmpty
            ? new RecordIdentity(offset, record.Length, 0, 0, 0, 0)
            : new RecordIdentity(offset, record.Length, HashEventId(eventId), HashRecord(record), _idBytes, eventId.Length);
        eventId.CopyTo(_ids.AsSpan(_idBytes));
        _idBytes += eventId.Length;
        _records[_count++] = identity;
    }

    public void Dispose()
    {
        if (_records.Length > 0)
        {
            ArrayPool<RecordIdentity>.Shared.Return(_records);
            ArrayPool<byte>.Shared.Return(_ids);
            _records = [];
            _ids = [];
            _count = 0;
            _idBytes = 0;
        }
    }

    private static T[] Grow<T>(T[] array, int used, int size)
    {
        var grown = ArrayPool<T>.Shared.Rent(size);
        array.AsSpan(0, used).CopyTo(grown);
        ArrayPool<T>.Shared.Return(array);
        return grown;
    }
}
