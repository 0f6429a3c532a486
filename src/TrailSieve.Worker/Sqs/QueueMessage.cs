namespace TrailSieve.Worker.Sqs;

/// <summary>A received SQS message, as the policy code sees it (no SDK types).</summary>
internal sealed record QueueMessage(string MessageId, string ReceiptHandle, string Body, int ReceiveCount, DateTimeOffset? SentAt);
