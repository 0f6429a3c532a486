using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Smoke;

/// <summary>The SQS calls TrailSieve makes (receive, heartbeat, acknowledge) and the redrive it relies on for poison input.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class SqsSmokeTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    private readonly IAmazonSQS _sqs = aws.CreateSqsClient();
    private string _queueUrl = "";
    private string _dlqUrl = "";

    /// <summary>
    /// A queue whose DLQ takes a message after 2 receives. Its visibility timeout is 30 s, so a slow (loaded) machine
    /// does not see messages come back mid-test; the redrive test shortens it to 1 s.
    /// </summary>
    public async Task InitializeAsync() =>
        (_queueUrl, _dlqUrl) = await aws.CreateQueueWithDlqAsync("sqs-smoke", maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(30));

    public async Task DisposeAsync()
    {
        await aws.DeleteQueueAsync(_queueUrl);
        await aws.DeleteQueueAsync(_dlqUrl);
        _sqs.Dispose();
    }

    [Fact]
    public async Task CreateQueueWithDlq_RedrivePolicy_IsReportedBack()
    {
        // Given the queue made by the fixture (maxReceiveCount 2, visibility 30 s)
        // When its attributes are read
        var attributes = await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = _queueUrl, AttributeNames = ["All"] });

        // Then the redrive policy names the DLQ
        var dlqArn = await aws.GetQueueArnAsync(_dlqUrl);
        Assert.Contains(dlqArn, attributes.Attributes["RedrivePolicy"], StringComparison.Ordinal);
        Assert.Equal("30", attributes.Attributes["VisibilityTimeout"]);
    }

    [Fact]
    public async Task SendBatch_ReceiveChangeVisibilityDelete_LeavesQueueEmpty()
    {
        // Given ten messages sent in one batch
        var bodies = Enumerable.Range(0, 10).Select(i => S3EventMessages.ObjectCreated("source", $"AWSLogs/{i}.json.gz", 100 + i)).ToList();
        var sent = await _sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = _queueUrl,
            Entries = [.. bodies.Select((b, i) => new SendMessageBatchRequestEntry { Id = "m" + i, MessageBody = b })],
        });
        Assert.Equal(10, sent.Successful?.Count ?? 0);
        Assert.Empty(sent.Failed ?? []);

        // When they are received (long poll 1 s, 10 per call), their visibility changed in one batch call (the heartbeat's
        // call; here shortened to 1 s so its effect shows: they come back), received again and deleted (acknowledge)
        var received = await _sqs.ReceiveAtLeastAsync(_queueUrl, 10, Bounded);
        Assert.Equal(bodies.Order(StringComparer.Ordinal), received.Select(m => m.Body).Order(StringComparer.Ordinal));
        Assert.Empty(await _sqs.ReceiveOnceAsync(_queueUrl)); // in flight for the queue's 30 s
        var changed = await _sqs.ChangeMessageVisibilityBatchAsync(new ChangeMessageVisibilityBatchRequest
        {
            QueueUrl = _queueUrl,
            Entries = [.. received.Select((m, i) => new ChangeMessageVisibilityBatchRequestEntry { Id = "v" + i, ReceiptHandle = m.ReceiptHandle, VisibilityTimeout = 1 })],
        });
        Assert.Equal(10, changed.Successful?.Count ?? 0);
        Assert.Empty(changed.Failed ?? []);

        var again = await _sqs.ReceiveAtLeastAsync(_queueUrl, 10, Bounded);
        Assert.Equal(10, again.Count);
        Assert.All(again, m => Assert.Equal(2, m.ReceiveCount()));
        var deleted = await _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
        {
            QueueUrl = _queueUrl,
            Entries = [.. again.Select((m, i) => new DeleteMessageBatchRequestEntry { Id = "d" + i, ReceiptHandle = m.ReceiptHandle })],
        });

        // Then every entry succeeded and nothing is left, visible or in flight
        Assert.Equal(10, deleted.Successful?.Count ?? 0);
        Assert.Empty(deleted.Failed ?? []);
        Assert.Equal(0, await _sqs.CountAllMessagesAsync(_queueUrl));
        Assert.Equal(0, await _sqs.CountAllMessagesAsync(_dlqUrl));
    }

    [Fact]
    public async Task ChangeMessageVisibility_ToZero_MessageIsReceivedAgainWithHigherCount()
    {
        // Given a received message
        await _sqs.SendMessageAsync(_queueUrl, "release me");
        var first = Assert.Single(await _sqs.ReceiveAtLeastAsync(_queueUrl, 1, Bounded));
        Assert.Equal(1, first.ReceiveCount());

        // When it is released (what the worker does on shutdown for unfinished work)
        await _sqs.ChangeMessageVisibilityAsync(_queueUrl, first.ReceiptHandle, 0);

        // Then it comes back at once, received a second time
        var again = Assert.Single(await _sqs.ReceiveOnceAsync(_queueUrl));
        Assert.Equal("release me", again.Body);
        Assert.Equal(2, again.ReceiveCount());
        await _sqs.DeleteMessageAsync(_queueUrl, again.ReceiptHandle);
    }

    [Fact]
    public async Task ReceiveMessage_EmptyQueue_LongPollWaitsAboutOneSecond()
    {
        // Given an empty queue
        var stopwatch = Stopwatch.StartNew();

        // When
        var messages = await _sqs.ReceiveOnceAsync(_queueUrl);

        // Then nothing, after roughly WaitTimeSeconds (not an immediate empty answer)
        Assert.Empty(messages);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Message_ReceivedMaxReceiveCountTimesWithoutDelete_MovesToDlq()
    {
        // Given a poison message on a queue with maxReceiveCount 2 and 1 s visibility
        await _sqs.SetQueueAttributesAsync(_queueUrl, new Dictionary<string, string>(StringComparer.Ordinal) { ["VisibilityTimeout"] = "1" });
        await _sqs.SendMessageAsync(_queueUrl, "poison");

        // When it is received and never deleted, until it shows up in the DLQ (bounded)
        var receivesOnQueue = 0;
        Message? inDlq = null;
        var stopwatch = Stopwatch.StartNew();
        while (inDlq is null && stopwatch.Elapsed < Bounded)
        {
            receivesOnQueue += (await _sqs.ReceiveOnceAsync(_queueUrl)).Count;
            inDlq = (await _sqs.ReceiveOnceAsync(_dlqUrl)).SingleOrDefault();
        }

        // Then it was delivered exactly maxReceiveCount times, then redriven with its body intact
        Assert.NotNull(inDlq);
        Assert.Equal("poison", inDlq.Body);
        Assert.Equal(2, receivesOnQueue);
        Assert.Equal(0, await _sqs.CountAllMessagesAsync(_queueUrl));
        await _sqs.DeleteMessageAsync(_dlqUrl, inDlq.ReceiptHandle);
    }
}
