namespace TrailSieve.Worker.Backfill;

/// <summary>An entry SQS refused: <paramref name="SenderFault"/> means retrying the same entry cannot help.</summary>
internal readonly record struct SendFailure(string Id, string Code, string Message, bool SenderFault);
