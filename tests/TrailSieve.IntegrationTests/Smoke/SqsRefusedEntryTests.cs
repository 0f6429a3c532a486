using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using TrailSieve.IntegrationTests.TestSupport;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.IntegrationTests.Smoke;

/// <summary>
/// The service's SQS adapter over the real API: entries of a DeleteMessageBatch that SQS refuses on its own side are
/// sent again until deleted. The emulator never refuses an entry, so the client in front of it refuses some, once.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class SqsRefusedEntryTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private readonly IAmazonSQS _sqs = aws.CreateSqsClient();
    private string _queue = "";

    public async Task InitializeAsync() => _queue = await aws.CreateQueueAsync("refused", TimeSpan.FromSeconds(30));

    public async Task DisposeAsync()
    {
        await aws.DeleteQueueAsync(_queue);
        _sqs.Dispose();
    }

    [Fact]
    public async Task DeleteAsync_SqsRefusesHalfTheEntriesOnce_TheyAreRetriedAndTheQueueEndsEmpty()
    {
        // Given six received messages, and SQS refusing every other entry of the first delete with InternalError
        for (var i = 0; i < 6; i++)
        {
            await _sqs.SendMessageAsync(_queue, $"message {i}");
        }

        var received = await _sqs.ReceiveAtLeastAsync(_queue, 6, TimeSpan.FromSeconds(10));
        Assert.Equal(6, received.Count);
        using var refusing = new RefusingOnceSqs(aws);
        var client = new SqsQueueClient(refusing, _queue, TimeProvider.System);

        // When the adapter deletes them
        var failures = await client.DeleteAsync([.. received.Select(m => new QueueMessage(m.MessageId, m.ReceiptHandle, m.Body, 1, null))], CancellationToken.None);

        // Then nothing failed for good: the refused three were sent again, alone, and the queue is empty
        Assert.Empty(failures);
        Assert.Equal([6, 3], refusing.CallSizes);
        Assert.Equal(0, await _sqs.CountAllMessagesAsync(_queue));
    }

    /// <summary>The emulator's client, refusing every other entry of the first DeleteMessageBatch as SQS does on an internal error.</summary>
    private sealed class RefusingOnceSqs(AwsEndpointFixture aws) : AmazonSQSClient(
        new BasicAWSCredentials(AwsEndpointFixture.AccessKey, AwsEndpointFixture.SecretKey),
        new AmazonSQSConfig { ServiceURL = aws.ServiceUrl, AuthenticationRegion = aws.Region })
    {
        public List<int> CallSizes { get; } = [];

        public override async Task<DeleteMessageBatchResponse> DeleteMessageBatchAsync(DeleteMessageBatchRequest request, CancellationToken cancellationToken = default)
        {
            CallSizes.Add(request.Entries.Count);
            if (CallSizes.Count > 1)
            {
                return await base.DeleteMessageBatchAsync(request, cancellationToken);
            }

            var refused = request.Entries.Where((_, i) => i % 2 == 1).ToList();
            var sent = new DeleteMessageBatchRequest { QueueUrl = request.QueueUrl, Entries = [.. request.Entries.Except(refused)] };
            var response = await base.DeleteMessageBatchAsync(sent, cancellationToken);
            response.Failed ??= [];
            response.Failed.AddRange(refused.Select(e => new BatchResultErrorEntry { Id = e.Id, Code = "InternalError", Message = "injected", SenderFault = false }));
            return response;
        }
    }
}
