namespace TrailSieve.Worker.Backfill;

/// <summary>Backfill cannot go on at all (the source cannot be listed, the checkpoint belongs to another run): the message says which object and why.</summary>
internal sealed class BackfillException(string message, Exception? inner = null) : Exception(message, inner);
