using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary>
/// <c>trailsieve run</c> with a guarded source against a real S3+SQS API: a bucket outside <c>Sqs:SourceBuckets</c>
/// goes to the DLQ untouched, an excluded key is acknowledged without a download, and the checked uploads (CRC32,
/// expected owner) are accepted. fauxqs neither verifies checksums nor checks the owner; Worker.Tests' FakeS3 does the
/// former, and asserts the owner header on every request.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class SourceGuardServiceTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private readonly IAmazonSQS _sqs = aws.CreateSqsClient();
    private readonly string _rules = TrailData.WriteRules();
    private string _source = "";
    private string _foreign = "";
    private string _output = "";
    private string _queue = "";
    private string _dlq = "";

    public async Task InitializeAsync()
    {
        _source = await aws.CreateBucketAsync("guard-src");
        _foreign = await aws.CreateBucketAsync("guard-other");
        _output = await aws.CreateBucketAsync("guard-out");
        (_queue, _dlq) = await aws.CreateQueueWithDlqAsync("guard", maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_source);
        await aws.DeleteBucketAsync(_foreign);
        await aws.DeleteBucketAsync(_output);
        await aws.DeleteQueueAsync(_queue);
        await aws.DeleteQueueAsync(_dlq);
        File.Delete(_rules);
        _s3.Dispose();
        _sqs.Dispose();
    }

    [Fact]
    public async Task Run_ForeignBucketAndExcludedKey_ForeignToTheDlqExcludedAcknowledgedGoodWritten()
    {
        // Given a good object, a good object in a bucket not allowed, and a corrupt object under an excluded prefix
        // (downloading it would fail it, so only an acknowledgement without a GET empties its message)
        const string good = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/good.json.gz";
        const string insight = "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/01/02/insight.json.gz";
        await PutAsync(_source, good, TrailData.File([TrailData.Record(1)]));
        await PutAsync(_foreign, good, TrailData.File([TrailData.Record(2)]));
        await PutAsync(_source, insight, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        await SendAsync(S3EventMessages.ObjectCreated(_source, good, 1));
        await SendAsync(S3EventMessages.ObjectCreated(_foreign, good, 1));
        await SendAsync(S3EventMessages.ObjectCreated(_source, insight, 1));
        var settings = ServiceRunner.Settings(_queue, _output, _rules, mode: "Mirror", untilIdle: "00:00:12");
        settings["Sqs:SourceBuckets:0"] = _source;
        settings["Sqs:ExcludeKeys:0"] = "re:/CloudTrail-Insight/";
        settings["Sqs:ExpectedBucketOwner"] = "000000000000";

        // When the service runs long enough for the rejected message to be received maxReceiveCount (2) times
        var code = await ServiceRunner.RunInProcessAsync(aws, settings, RunTimeout);

        // Then only the good object is written (its checked upload accepted), the foreign one is in the DLQ, nothing is left
        Assert.Equal(0, code);
        var outputs = await BucketReader.ReadAllAsync(_s3, _output);
        Assert.Equal([good], outputs.Keys);
        Assert.Equal([TrailData.Record(1)], TrailData.RecordsOf(outputs[good]));
        var dead = await _sqs.ReceiveAtLeastAsync(_dlq, 1, TimeSpan.FromSeconds(20));
        Assert.Contains(_foreign, Assert.Single(dead).Body, StringComparison.Ordinal);
        Assert.Equal(0, await _sqs.CountAllMessagesAsync(_queue));
    }

    private async Task PutAsync(string bucket, string key, byte[] content) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content) });

    private async Task SendAsync(string body) => await _sqs.SendMessageAsync(_queue, body);
}
