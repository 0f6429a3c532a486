namespace TrailSieve.Worker.Output;

/// <summary>A ledger marker as stored: its body, its ETag (for a conditional replace) and when the store last wrote it (its clock, not the writer's).</summary>
internal sealed record LedgerEntry(ReadOnlyMemory<byte> Body, string ETag, DateTimeOffset LastModified);
