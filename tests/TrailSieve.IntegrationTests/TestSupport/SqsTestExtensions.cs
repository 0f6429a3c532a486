using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace TrailSieve.IntegrationTests.TestSupport;

public static class SqsTestExtensions
{
    /// <summary>Long-polls (1 s waits, 10 per call) until <paramref name="count"/> messages arrived or <paramref name="timeout"/> passed.</summary>
    public static async Task<List<Message>> ReceiveAtLeastAsync(this IAmazonSQS sqs, string queueUrl, int count, TimeSpan timeout)
    {
        var received = new List<Message>();
        var stopwatch = Stopwatch.StartNew();
        while (received.Count < count && stopwatch.Elapsed < timeout)
        {
            received.AddRange(await sqs.ReceiveOnceAsync(queueUrl));
        }

        return received;
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
