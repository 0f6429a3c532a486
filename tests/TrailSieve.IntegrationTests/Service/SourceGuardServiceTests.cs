using Amazon.S3.Model;
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
    private ServiceResources _env = null!;
    private string _foreign = "";

    public async Task InitializeAsync()
    {
        _env = await ServiceResources.CreateAsync(aws, "guard", maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(5));
        _foreign = await aws.CreateBucketAsync("guard-other");
    }

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_foreign);
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Run_ForeignBucketAndExcludedKey_ForeignToTheDlqExcludedAcknowledgedGoodWritten()
    {
        // Given a good object, a good object in a bucket not allowed, and a corrupt object under an excluded prefix
        // (downloading it would fail it, so only an acknowledgement without a GET empties its message)
        const string good = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/good.json.gz";
        const string insight = "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/01/02/insight.json.gz";
        await PutAsync(_env.Source, good, TrailData.File([TrailData.Record(1)]));
        await PutAsync(_foreign, good, TrailData.File([TrailData.Record(2)]));
        await PutAsync(_env.Source, insight, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, good, 1));
        await SendAsync(S3EventMessages.ObjectCreated(_foreign, good, 1));
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, insight, 1));
        var settings = ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode: "Mirror", untilIdle: "00:00:12");
        settings["Sqs:SourceBuckets:0"] = _env.Source;
        settings["Sqs:ExcludeKeys:0"] = "re:/CloudTrail-Insight/";
        settings["Sqs:ExpectedBucketOwner"] = "000000000000";

        // When the service runs long enough for the rejected message to be received maxReceiveCount (2) times
        var code = await ServiceRunner.RunInProcessAsync(aws, settings, RunTimeout);

        // Then only the good object is written (its checked upload accepted), the foreign one is in the DLQ, nothing is left
        Assert.Equal(0, code);
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        Assert.Equal([good], outputs.Keys);
        Assert.Equal([TrailData.Record(1)], TrailData.RecordsOf(outputs[good]));
        var dead = await _env.Sqs.ReceiveAtLeastAsync(_env.Dlq, 1, TimeSpan.FromSeconds(20));
        Assert.Contains(_foreign, Assert.Single(dead).Body, StringComparison.Ordinal);
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
    }

    private async Task PutAsync(string bucket, string key, byte[] content) =>
        await _env.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content) });

    private async Task SendAsync(string body) => await _env.Sqs.SendMessageAsync(_env.Queue, body);
}
