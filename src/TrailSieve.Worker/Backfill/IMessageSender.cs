using Amazon.SQS;
using Amazon.SQS.Model;
using Polly;

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

/// <summary>The SDK adapter; the whole call goes through the retry pipeline, refused entries are returned.</summary>
internal sealed class SqsMessageSender(IAmazonSQS sqs, string queueUrl, ResiliencePipeline resilience) : IMessageSender
{
    public string QueueUrl => queueUrl;

    public async Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        var request = new SendMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = [.. messages.Select(m => new SendMessageBatchRequestEntry(m.Id, m.Body))],
        };
        var response = await resilience.ExecuteAsync(async ct => await sqs.SendMessageBatchAsync(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return response.Failed is null
            ? []
            : response.Failed.ConvertAll(f => new SendFailure(f.Id, f.Code ?? "Unknown", f.Message ?? string.Empty, f.SenderFault ?? false));
    }
}
