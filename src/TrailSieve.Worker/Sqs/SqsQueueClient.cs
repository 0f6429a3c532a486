using Amazon.SQS;
using Amazon.SQS.Model;
using Polly;

namespace TrailSieve.Worker.Sqs;

/// <summary>The SDK adapter behind <see cref="IQueueClient"/>.</summary>
internal sealed class SqsQueueClient(IAmazonSQS sqs, string queueUrl, ResiliencePipeline resilience) : IQueueClient
{
    public string QueueUrl => queueUrl;

    /// <summary>One attempt: the receivers retry a failed receive through their own Polly loop, for as long as it fails.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan waitTime, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var response = await sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = Math.Clamp(maxMessages, 1, 10),
                WaitTimeSeconds = (int)waitTime.TotalSeconds,
                VisibilityTimeout = (int)visibilityTimeout.TotalSeconds,
                MessageSystemAttributeNames = ["ApproximateReceiveCount", "SentTimestamp"],
                MessageAttributeNames = ["All"],
            },
            cancellationToken).ConfigureAwait(false);
        if (response.Messages is not { Count: > 0 } messages)
        {
            return [];
        }

        return messages.ConvertAll(m => new QueueMessage(
            m.MessageId,
            m.ReceiptHandle,
            m.Body ?? string.Empty,
            m.Attributes?.TryGetValue("ApproximateReceiveCount", out var count) == true && int.TryParse(count, out var n) ? n : 1,
            m.Attributes?.TryGetValue("SentTimestamp", out var sent) == true && long.TryParse(sent, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            m.MessageAttributes?.TryGetValue("traceparent", out var parent) == true ? parent.StringValue : null,
            m.MessageAttributes?.TryGetValue("tracestate", out var state) == true ? state.StringValue : null));
    }

    public async Task<IReadOnlyList<EntryFailure>> DeleteAsync(IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var request = new DeleteMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = [.. messages.Select(m => new DeleteMessageBatchRequestEntry(m.MessageId, m.ReceiptHandle))],
        };
        var response = await resilience.ExecuteAsync(async ct => await sqs.DeleteMessageBatchAsync(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return Failures(response.Failed);
    }

    public async Task<IReadOnlyList<EntryFailure>> ExtendAsync(IReadOnlyList<QueueMessage> messages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var request = new ChangeMessageVisibilityBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = [.. messages.Select(m => new ChangeMessageVisibilityBatchRequestEntry(m.MessageId, m.ReceiptHandle) { VisibilityTimeout = (int)visibilityTimeout.TotalSeconds })],
        };
        var response = await resilience.ExecuteAsync(async ct => await sqs.ChangeMessageVisibilityBatchAsync(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return Failures(response.Failed);
    }

    private static List<EntryFailure> Failures(List<BatchResultErrorEntry>? failed) =>
        failed is null ? [] : failed.ConvertAll(f => new EntryFailure(f.Id, f.Code ?? "Unknown", f.Message ?? string.Empty));
}
