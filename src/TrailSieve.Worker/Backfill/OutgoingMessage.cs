namespace TrailSieve.Worker.Backfill;

/// <summary>One message of a batch send.</summary>
internal readonly record struct OutgoingMessage(string Id, string Body);
