namespace TrailSieve.Worker.Sqs;

/// <summary>A received SQS message, as the policy code sees it (no SDK types).</summary>
/// <param name="MessageId">SQS message id.</param>
/// <param name="ReceiptHandle">Handle for delete and visibility calls.</param>
/// <param name="Body">The notification body.</param>
/// <param name="ReceiveCount">ApproximateReceiveCount.</param>
/// <param name="SentAt">SentTimestamp, when SQS reported it.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> message attribute, when the sender propagated one.</param>
/// <param name="TraceState">The W3C <c>tracestate</c> message attribute, if any.</param>
internal sealed record QueueMessage(
    string MessageId, string ReceiptHandle, string Body, int ReceiveCount, DateTimeOffset? SentAt, string? TraceParent = null, string? TraceState = null);
