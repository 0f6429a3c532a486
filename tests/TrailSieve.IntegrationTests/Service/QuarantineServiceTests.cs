using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary><c>trailsieve run</c> against a real S3+SQS API: one unusable record does not fail its file.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class QuarantineServiceTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private ServiceResources _env = null!;

    public async Task InitializeAsync()
    {
        _env = await ServiceResources.CreateAsync(aws, "quar", maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Run_FileWithOneUnusableRecordInTheMiddle_WritesAllTheOthersAndQuarantinesThatOne()
    {
        // Given a file of 300 records with an array, not a record, in the middle
        var records = Enumerable.Range(0, 300).Select(id => TrailData.Record(id)).ToList();
        const string key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/with-bad-record.json.gz";
        await _env.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _env.Source, Key = key, InputStream = new MemoryStream(TrailData.File([.. records.Take(150), "[\"not\",\"a\",\"record\"]", .. records.Skip(150)])),
        });
        await _env.Sqs.SendMessageAsync(_env.Queue, S3EventMessages.ObjectCreated(_env.Source, key, 1));

        // When
        var code = await ServiceRunner.RunInProcessAsync(aws, ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode: "Mirror"), RunTimeout);

        // Then the kept records are written, the bad one is in the quarantine, and the message is deleted
        Assert.Equal(0, code);
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        Assert.Equal(TrailData.Kept(records), TrailData.RecordsOf(outputs[key]));
        var quarantine = Assert.Single(outputs, o => o.Key.StartsWith("quarantine/", StringComparison.Ordinal));
        Assert.Matches(@"^quarantine/\d{4}/\d{2}/\d{2}/quarantine-[A-Za-z0-9]{16}\.jsonl\.gz$", quarantine.Key);
        var line = JsonSerializer.Deserialize<JsonElement>(Gunzip(quarantine.Value));
        Assert.Equal($"s3://{_env.Source}/{key}", line.GetProperty("source").GetString());
        Assert.Equal((150L, "NotAnObject", "[\"not\",\"a\",\"record\"]"), (line.GetProperty("index").GetInt64(), line.GetProperty("kind").GetString(), line.GetProperty("record").GetRawText()));
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Dlq));
    }

    private static string Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var text = new StreamReader(input, Encoding.UTF8);
        return text.ReadToEnd();
    }
}
