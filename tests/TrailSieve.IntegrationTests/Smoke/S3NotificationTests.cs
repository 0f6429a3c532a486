using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Smoke;

/// <summary>
/// S3 -> SQS ObjectCreated notifications. LocalStack delivers them; fauxqs 1.9.2 does not implement bucket
/// notification configuration at all, so end-to-end tests there enqueue <see cref="S3EventMessages.ObjectCreated"/> themselves.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class S3NotificationTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private readonly IAmazonSQS _sqs = aws.CreateSqsClient();
    private string _bucket = "";
    private string _queueUrl = "";

    public async Task InitializeAsync()
    {
        _bucket = await aws.CreateBucketAsync("notify");
        _queueUrl = await aws.CreateQueueAsync("notify");
    }

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_bucket);
        await aws.DeleteQueueAsync(_queueUrl);
        _s3.Dispose();
        _sqs.Dispose();
    }

    [Fact]
    public async Task PutObject_WithQueueNotification_AnnouncesObjectOnlyWhereSupported()
    {
        // Given an ObjectCreated notification for *.json.gz to the queue
        var queueArn = await aws.GetQueueArnAsync(_queueUrl);
        Exception? configurationError = null;
        try
        {
            await _s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
            {
                BucketName = _bucket,
                QueueConfigurations =
                [
                    new QueueConfiguration
                    {
                        Queue = queueArn,
                        Events = [EventType.ObjectCreatedAll],
                        Filter = new Filter { S3KeyFilter = new S3KeyFilter { FilterRules = [new FilterRule("suffix", ".json.gz")] } },
                    },
                ],
            });
        }
        catch (AmazonS3Exception e)
        {
            configurationError = e;
        }

        // When a matching object is written
        const string key = "AWSLogs/111111111111/CloudTrail/us-east-1/2026/01/02/n.json.gz";
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "{}" });
        var messages = await _sqs.ReceiveAtLeastAsync(_queueUrl, 2, TimeSpan.FromSeconds(aws.IsFauxqs ? 3 : 15));
        var announced = messages.Where(m => IsObjectCreatedFor(m.Body, _bucket, key)).ToList();

        // Then a real S3 API announces it; fauxqs 1.9.2 accepts the configuration (PUT ?notification is taken for an
        // idempotent CreateBucket) and silently announces nothing
        Assert.Null(configurationError);
        if (aws.IsFauxqs)
        {
            Assert.Empty(announced);
            Assert.All(messages, m => Assert.DoesNotContain("ObjectCreated", m.Body, StringComparison.Ordinal));
        }
        else
        {
            Assert.Single(announced);
        }
    }

    private static bool IsObjectCreatedFor(string body, string bucket, string key)
    {
        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("Records", out var records))
        {
            return false; // e.g. s3:TestEvent
        }

        return records.EnumerateArray().Any(r =>
            r.GetProperty("eventName").GetString()!.StartsWith("ObjectCreated:", StringComparison.Ordinal)
            && r.GetProperty("s3").GetProperty("bucket").GetProperty("name").GetString() == bucket
            && r.GetProperty("s3").GetProperty("object").GetProperty("key").GetString() == S3EventMessages.EncodeKey(key));
    }
}
