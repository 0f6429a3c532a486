using Amazon.SQS;
using Amazon.SQS.Model;
using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// The SDK adapter behind backfill's <see cref="IMessageSender"/>: one SendMessageBatch call, refused entries
/// returned. It does not retry: <see cref="EnqueueTarget"/> runs each call through the shared retry pipeline
/// (<see cref="Aws.AwsResilience"/>), which retries both failed calls and the entries refused for a passing reason.
/// </summary>
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
