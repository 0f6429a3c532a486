namespace TrailSieve.Worker.Backfill;

/// <summary>SendMessageBatch (at most 10 entries), behind an interface so fan-out is tested without SQS.</summary>
internal interface IMessageSender
{
    string QueueUrl { get; }

    Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}
