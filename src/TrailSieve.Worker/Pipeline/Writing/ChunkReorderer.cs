namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// Puts each object's chunks back in their read order: the filter workers finish them in any order. A chunk that
/// arrives early is held until the ones before it have been released; an object is forgotten once its end is.
/// </summary>
internal sealed class ChunkReorderer
{
    private readonly Dictionary<TrackedObject, Entry> _objects = [];

    /// <summary>Objects with a chunk held or released but no end released yet.</summary>
    public int Count => _objects.Count;

    /// <summary>Adds to <paramref name="ready"/> every chunk that may be processed now, in order (none if <paramref name="chunk"/> is early).</summary>
    public void Accept(FilteredChunk chunk, List<FilteredChunk> ready)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(ready);
        if (!_objects.TryGetValue(chunk.Object, out var entry))
        {
            entry = new Entry();
            _objects.Add(chunk.Object, entry);
        }

        if (chunk.Sequence != entry.Next)
        {
            (entry.Early ??= []).Add(chunk.Sequence, chunk);
            return;
        }

        Release(chunk, entry, ready);
        while (entry.Early is not null && entry.Early.Remove(entry.Next, out var next))
        {
            Release(next, entry, ready);
        }
    }

    /// <summary>Every chunk still held, for disposal when the stage stops early.</summary>
    public IEnumerable<FilteredChunk> Held() => _objects.Values.SelectMany(e => e.Early?.Values ?? Enumerable.Empty<FilteredChunk>());

    private void Release(FilteredChunk chunk, Entry entry, List<FilteredChunk> ready)
    {
        ready.Add(chunk);
        entry.Next++;
        if (chunk.End is not null)
        {
            _objects.Remove(chunk.Object);
        }
    }

    private sealed class Entry
    {
        public long Next { get; set; }

        public SortedDictionary<long, FilteredChunk>? Early { get; set; }
    }
}
