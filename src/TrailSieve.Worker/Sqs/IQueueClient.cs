namespace TrailSieve.Worker.Sqs;

/// <summary>
/// The few SQS calls the service makes, behind an interface so that receiving, acknowledging and the heartbeat are
/// tested without the SDK (AWS.Messaging's split). Batch calls take at most 10 messages.
/// </summary>
internal interface IQueueClient
{
    string QueueUrl { get; }

    Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan waitTime, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>DeleteMessageBatch; returns the ids that failed with their reason.</summary>
    Task<IReadOnlyList<EntryFailure>> DeleteAsync(IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken);

    /// <summary>ChangeMessageVisibilityBatch; returns the ids that failed with their reason.</summary>
    Task<IReadOnlyList<EntryFailure>> ExtendAsync(IReadOnlyList<QueueMessage> messages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);
}
