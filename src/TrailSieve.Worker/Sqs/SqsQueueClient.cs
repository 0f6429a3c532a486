using Amazon.SQS;
using Amazon.SQS.Model;
using Polly;
using TrailSieve.Worker.Aws;

namespace TrailSieve.Worker.Sqs;

/// <summary>
/// The SDK adapter behind <see cref="IQueueClient"/>. Batch calls (delete, change visibility) go through a retry
/// pipeline that also retries the entries SQS refused on its own side, not only thrown exceptions.
/// </summary>
internal sealed class SqsQueueClient(IAmazonSQS sqs, string queueUrl, TimeProvider timeProvider) : IQueueClient
{
    private readonly ResiliencePipeline _entryRetry = AwsResilience.Create(timeProvider, retryResult: static result => result is true);

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

    public Task<IReadOnlyList<EntryFailure>> DeleteAsync(IReadOnlyList<QueueMessage> messages, CancellationToken cancellationToken) =>
        EachEntryAsync(
            messages,
            async (pending, ct) => (await sqs.DeleteMessageBatchAsync(
                new DeleteMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. pending.Select(m => new DeleteMessageBatchRequestEntry(m.MessageId, m.ReceiptHandle))],
                },
                ct).ConfigureAwait(false)).Failed,
            cancellationToken);

    public Task<IReadOnlyList<EntryFailure>> ExtendAsync(IReadOnlyList<QueueMessage> messages, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        EachEntryAsync(
            messages,
            async (pending, ct) => (await sqs.ChangeMessageVisibilityBatchAsync(
                new ChangeMessageVisibilityBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. pending.Select(m => new ChangeMessageVisibilityBatchRequestEntry(m.MessageId, m.ReceiptHandle) { VisibilityTimeout = (int)visibilityTimeout.TotalSeconds })],
                },
                ct).ConfigureAwait(false)).Failed,
            cancellationToken);

    /// <summary>
    /// An entry SQS refused on its own side (not the sender's fault: an internal error, throttling) is worth sending
    /// again; one refused as the sender's fault (<c>ReceiptHandleIsInvalid</c> after the message was deleted or its
    /// handle expired) is not.
    /// </summary>
    internal static bool IsRetryableEntry(BatchResultErrorEntry entry) =>
        entry.SenderFault != true || entry.Code is "RequestThrottled" or "ThrottlingException" or "InternalError" or "ServiceUnavailable";

    /// <summary>
    /// One batch call, repeated through the retry pipeline for the entries SQS refused but may accept next time, as
    /// well as on transient exceptions; returns the entries that failed for good (refused as the sender's fault, or
    /// still refused when the attempts ran out).
    /// </summary>
    private async Task<IReadOnlyList<EntryFailure>> EachEntryAsync(
        IReadOnlyList<QueueMessage> messages, Func<List<QueueMessage>, CancellationToken, Task<List<BatchResultErrorEntry>?>> call, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var pending = messages.ToList();
        var final = new List<EntryFailure>();
        var lastRefusal = new Dictionary<string, EntryFailure>(StringComparer.Ordinal);
        await _entryRetry.ExecuteAsync(
            async ct =>
            {
                var failed = await call(pending, ct).ConfigureAwait(false) ?? [];
                var retry = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in failed)
                {
                    var failure = new EntryFailure(entry.Id, entry.Code ?? "Unknown", entry.Message ?? string.Empty);
                    if (IsRetryableEntry(entry))
                    {
                        retry.Add(entry.Id);
                        lastRefusal[entry.Id] = failure;
                    }
                    else
                    {
                        final.Add(failure);
                    }
                }

                pending = pending.FindAll(m => retry.Contains(m.MessageId));
                return pending.Count > 0;
            },
            cancellationToken).ConfigureAwait(false);
        final.AddRange(pending.Select(m => lastRefusal[m.MessageId]));
        return final;
    }
}
