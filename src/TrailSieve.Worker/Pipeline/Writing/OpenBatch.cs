namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// A batch: one output object being filled with the kept records (or findings) of many source objects, and the
/// objects whose records or findings it holds. Committed by its writer as a whole.
/// </summary>
internal sealed class OpenBatch<TKey>(TKey key, Output.IOutputObject output, long openedTimestamp)
{
    /// <summary>The partition (or day) the batch collects.</summary>
    public TKey Key { get; } = key;

    public Output.IOutputObject Output { get; } = output;

    public long OpenedTimestamp { get; } = openedTimestamp;

    public int Records { get; set; }

    /// <summary>Uncompressed bytes appended so far: what the size limit is measured in.</summary>
    public long RawBytes { get; set; }

    public HashSet<ObjectProgress> Objects { get; } = [];

    /// <summary>Batch mode: the records it holds by identity (<see cref="BatchDeduplicator"/>), created with its first piece; dies with the batch.</summary>
    public Core.Batching.DedupWindow? Dedup { get; set; }

    /// <summary>OCSF output: the batch's Parquet file being built, written to <see cref="Output"/> when the batch is committed; null otherwise.</summary>
    public OcsfBatchFile? Parquet { get; set; }

    /// <summary>Counts <paramref name="obj"/> among the objects this batch holds (once).</summary>
    public void Hold(ObjectProgress obj)
    {
        if (Objects.Add(obj))
        {
            obj.OpenBatches++;
        }
    }
}
