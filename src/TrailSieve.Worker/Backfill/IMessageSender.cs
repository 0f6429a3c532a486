using Amazon.SQS;
using Amazon.SQS.Model;

namespace TrailSieve.Worker.Backfill;

/// <summary>One message of a batch send, and why an entry was refused.</summary>
internal readonly record struct OutgoingMessage(string Id, string Body);

/// <summary>An entry SQS refused: <paramref name="SenderFault"/> means retrying the same entry cannot help.</summary>
internal readonly record struct SendFailure(string Id, string Code, string Message, bool SenderFault);

/// <summary>SendMessageBatch (at most 10 entries), behind an interface so fan-out is tested without SQS.</summary>
internal interface IMessageSender
{
    string QueueUrl { get; }

    Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}

/// <summary>The SDK adapter: one call, refused entries returned; <see cref="EnqueueTarget"/> retries both failed calls and refused entries.</summary>
internal sealed class SqsMessageSender(IAmazonSQS sqs, string queueUrl) : IMessageSender
{
    public string QueueUrl => queueUrl;

    public async Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        var request = new SendMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = [.. messages.Select(m => new SendMessageBatchRequestEntry(m.Id, m.Body))],
        };
        var response = await sqs.SendMessageBatchAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Failed is null
            ? []
            : response.Failed.ConvertAll(f => new SendFailure(f.Id, f.Code ?? "Unknown", f.Message ?? string.Empty, f.SenderFault ?? false));
    }
}
