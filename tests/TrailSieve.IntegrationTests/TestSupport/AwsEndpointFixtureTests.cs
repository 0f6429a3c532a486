using Amazon.S3.Model;
using Amazon.SQS.Model;

namespace TrailSieve.IntegrationTests.TestSupport;

[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class AwsEndpointFixtureTests(AwsEndpointFixture aws)
{
    [Fact]
    public void WorkerEnvironment_Always_PointsAChildProcessAtTheEndpoint()
    {
        // Given the chosen endpoint
        // When
        var environment = aws.WorkerEnvironment();

        // Then
        Assert.Contains(aws.Source, new[] { "env", "localstack", "fauxqs" });
        Assert.Equal(aws.ServiceUrl, environment["AWS_ENDPOINT_URL"]);
        Assert.Equal("us-east-1", environment["AWS_REGION"]);
        Assert.Equal("test", environment["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("test", environment["AWS_SECRET_ACCESS_KEY"]);
    }

    [Fact]
    public async Task CreateBucketAndQueue_OddPrefix_UniqueValidNamesThatDeleteCleanly()
    {
        // Given an awkward prefix
        // When two buckets and a queue are created from it
        var first = await aws.CreateBucketAsync("Odd_Prefix.With Stuff");
        var second = await aws.CreateBucketAsync("Odd_Prefix.With Stuff");
        var queueUrl = await aws.CreateQueueAsync("Odd_Prefix.With Stuff");

        // Then the names are distinct, lowercase DNS-style, and the queue URL is usable as returned
        Assert.NotEqual(first, second);
        Assert.Matches("^ts-odd-prefix-with-stuff-[0-9a-f]{12}$", first);
        using var sqs = aws.CreateSqsClient();
        await sqs.SendMessageAsync(queueUrl, "x");
        Assert.Equal(1, await sqs.CountAllMessagesAsync(queueUrl));

        // And they delete cleanly, objects included
        using var s3 = aws.CreateS3Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = first, Key = "a/b.json.gz", ContentBody = "{}" });
        await aws.DeleteBucketAsync(first);
        await aws.DeleteBucketAsync(second);
        await aws.DeleteQueueAsync(queueUrl);
        var buckets = (await s3.ListBucketsAsync()).Buckets ?? [];
        Assert.DoesNotContain(buckets, b => b.BucketName == first || b.BucketName == second);
        var queues = (await sqs.ListQueuesAsync(new ListQueuesRequest { QueueNamePrefix = "ts-odd-prefix" })).QueueUrls ?? [];
        Assert.DoesNotContain(queueUrl, queues);
    }
}
