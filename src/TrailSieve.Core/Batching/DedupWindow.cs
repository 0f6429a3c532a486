namespace TrailSieve.Core.Batching;

/// <summary>
/// The records one open batch holds, by identity, to drop a record CloudTrail delivered twice: a record is a duplicate
/// only when its eventID's bytes are equal to a remembered one's (compared exactly, not by hash) and a 64-bit hash of
/// its whole bytes is too. Distinct records that share an eventID (the real corpus has them) differ in bytes and are
/// both kept; a record without an eventID is never checked. Bounded: at most <c>capacity</c> records are remembered
/// (about 100 bytes each with a 36-byte eventID, see pipeline.md); past that, later records are counted in
/// <see cref="NotRemembered"/> and still checked against those remembered. Lives and dies with its batch; one writer
/// uses it, so it is not thread-safe.
/// </summary>
public sealed class DedupWindow
{
    private readonly int _capacity;
    private readonly HashSet<Entry> _seen;
    private byte[] _ids = [];
    private int _idBytes;

    /// <summary>A window remembering at most <paramref name="capacity"/> records (at least 1).</summary>
    public DedupWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _seen = new HashSet<Entry>(new EntryComparer(this));
    }

    /// <summary>Records remembered.</summary>
    public int Count => _seen.Count;

    /// <summary>New records not remembered because the window was full.</summary>
    public long NotRemembered { get; private set; }

    /// <summary>
    /// Is the record with eventID <paramref name="eventId"/> (non-empty) and the hashes of <see cref="PieceIdentities"/>
    /// a duplicate of a remembered one? If not, it is remembered while there is room.
    /// </summary>
    public DedupCheck Check(ReadOnlySpan<byte> eventId, ulong idHash, ulong bodyHash)
    {
        if (eventId.IsEmpty)
        {
            throw new ArgumentException("a record without an eventID is never checked", nameof(eventId));
        }

        // The probe's id goes where a remembered one would; it stays only if the record is remembered.
        if (eventId.Length > _ids.Length - _idBytes)
        {
            Array.Resize(ref _ids, Math.Max(Math.Max(256, _ids.Length * 2), _idBytes + eventId.Length));
        }

        eventId.CopyTo(_ids.AsSpan(_idBytes));
        var probe = new Entry(idHash, bodyHash, _idBytes, eventId.Length);
        if (_seen.Contains(probe))
        {
            return DedupCheck.Duplicate;
        }

        if (_seen.Count >= _capacity)
        {
            NotRemembered++;
            return DedupCheck.NotRemembered;
        }

        _seen.Add(probe);
        _idBytes += eventId.Length;
        return DedupCheck.Remembered;
    }

    /// <summary>A remembered record: its hashes and where its eventID's bytes are.</summary>
    private readonly record struct Entry(ulong IdHash, ulong BodyHash, int IdStart, int IdLength);

    /// <summary>Equal when both hashes are and the eventIDs' bytes are (read from the window's buffer, which may grow).</summary>
    private sealed class EntryComparer(DedupWindow window) : IEqualityComparer<Entry>
    {
        public bool Equals(Entry x, Entry y) =>
            x.IdHash == y.IdHash && x.BodyHash == y.BodyHash
            && window._ids.AsSpan(x.IdStart, x.IdLength).SequenceEqual(window._ids.AsSpan(y.IdStart, y.IdLength));

        public int GetHashCode(Entry obj) => (int)(obj.IdHash ^ (obj.IdHash >> 32));
    }
}
