using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace TrailSieve.IntegrationTests.TestSupport;

public static class SqsTestExtensions
{
    /// <summary>
    /// Long-polls (1 s waits, 10 per call) until <paramref name="count"/> distinct messages arrived or <paramref name="timeout"/>
    /// passed. A message received again (its visibility ran out meanwhile) is kept once, with its latest receipt handle.
    /// </summary>
    public static async Task<List<Message>> ReceiveAtLeastAsync(this IAmazonSQS sqs, string queueUrl, int count, TimeSpan timeout)
    {
        var received = new Dictionary<string, Message>(StringComparer.Ordinal);
        var order = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        while (received.Count < count && stopwatch.Elapsed < timeout)
        {
            foreach (var message in await sqs.ReceiveOnceAsync(queueUrl))
            {
                if (received.TryAdd(message.MessageId, message))
                {
                    order.Add(message.MessageId);
                }
                else
                {
                    received[message.MessageId] = message;
                }
            }
        }

        return [.. order.Select(id => received[id])];
    }

    /// <summary>One ReceiveMessage: WaitTimeSeconds 1, up to 10 messages, with ApproximateReceiveCount.</summary>
    public static async Task<List<Message>> ReceiveOnceAsync(this IAmazonSQS sqs, string queueUrl, int maxMessages = 10)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            WaitTimeSeconds = 1,
            MaxNumberOfMessages = maxMessages,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"],
        });
        return response.Messages ?? [];
    }

    public static int ReceiveCount(this Message message) =>
        message.Attributes is { } attributes && attributes.TryGetValue("ApproximateReceiveCount", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible.</summary>
    public static async Task<int> CountAllMessagesAsync(this IAmazonSQS sqs, string queueUrl)
    {
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        });
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }
}
