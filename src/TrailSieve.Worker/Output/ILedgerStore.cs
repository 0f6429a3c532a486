namespace TrailSieve.Worker.Output;

/// <summary>
/// Where the delivery ledger keeps its markers (the output bucket), with the conditional writes it relies on: a
/// create that fails if the key exists, a replace that fails if the marker changed. <see cref="DeliveryLedger"/> is
/// the policy; this is only storage, so the policy is tested against a store that enforces the conditions.
/// </summary>
internal interface ILedgerStore
{
    /// <summary>How a key is shown in logs and messages.</summary>
    string Describe(string key);

    /// <summary>Creates <paramref name="key"/> with <paramref name="body"/> unless it exists; its new ETag, or null when it already existed (or a concurrent write won).</summary>
    Task<string?> TryCreateAsync(string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="key"/> only if its ETag is still <paramref name="etag"/>; the new ETag, or null when it changed or is gone.</summary>
    Task<string?> TryReplaceAsync(string key, string etag, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>The marker under <paramref name="key"/>, or null when there is none.</summary>
    Task<LedgerEntry?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Whether the output object <paramref name="key"/> exists (is durable).</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);
}
