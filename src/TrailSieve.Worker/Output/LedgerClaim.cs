namespace TrailSieve.Worker.Output;

/// <summary>
/// What claiming a source object in the ledger decided: it is already delivered (every batch its marker names is
/// durable: write nothing), or this worker now holds it and writes the partitions not already durable.
/// </summary>
/// <param name="Delivered">Every batch the existing marker names is durable: nothing is to be written.</param>
/// <param name="Durable">Partitions whose records are already in a durable batch (from an earlier, partly committed delivery): not written again.</param>
/// <param name="Batches">The batch each partition is (or was) written to, as the marker now says.</param>
/// <param name="MarkerKey">The marker's key.</param>
/// <param name="MarkerETag">The marker's ETag once this worker wrote it (null when already delivered).</param>
internal sealed record LedgerClaim(bool Delivered, IReadOnlySet<string> Durable, IReadOnlyDictionary<string, string> Batches, string MarkerKey, string? MarkerETag);
