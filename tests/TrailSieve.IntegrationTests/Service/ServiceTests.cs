using System.Text.Json;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary><c>trailsieve run</c> end to end against a real S3+SQS API: every notification shape, both output modes, poison input.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private ServiceResources _env = null!;

    public async Task InitializeAsync()
    {
        _env = await ServiceResources.CreateAsync(aws, "svc", maxReceiveCount: 2, visibilityTimeout: TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Run_BatchModeEveryNotificationShape_OutputIsTheKeptRecordsAndQueueIsEmpty()
    {
        // Given six objects, one of them spanning two accounts and two days, announced in every notification shape
        var all = new List<string>();
        var keys = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var records = Enumerable.Range(i * 100, 100)
                .Select(id => TrailData.Record(id, account: i == 5 && id % 2 == 0 ? "444455556666" : "111122223333", day: i == 5 && id % 4 < 2 ? "2026-01-03" : "2026-01-02"))
                .ToList();
            var key = $"AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/file {i}.json.gz";
            await PutAsync(key, TrailData.File(records));
            all.AddRange(records);
            keys.Add(key);
        }

        var direct = JsonSerializer.Deserialize<JsonElement>(S3EventMessages.ObjectCreated(_env.Source, keys[0], 1)).GetProperty("Records")[0].GetRawText();
        var second = JsonSerializer.Deserialize<JsonElement>(S3EventMessages.ObjectCreated(_env.Source, keys[1], 1)).GetProperty("Records")[0].GetRawText();
        await SendAsync("{\"Records\":[" + direct + "," + second + "]}");
        await SendAsync(JsonSerializer.Serialize(new { Type = "Notification", MessageId = "m", TopicArn = "arn:aws:sns:us-east-1:1:t", Message = S3EventMessages.ObjectCreated(_env.Source, keys[2], 1) }));
        await SendAsync(JsonSerializer.Serialize(new { s3Bucket = _env.Source, s3ObjectKey = new[] { keys[3] } }));
        await SendAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = "0", ["detail-type"] = "Object Created", ["source"] = "aws.s3",
            ["detail"] = new { bucket = new { name = _env.Source }, @object = new { key = keys[4], size = 1 } },
        }));
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, keys[5], 1));
        await SendAsync("""{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-01T00:00:00Z","Bucket":"b"}""");

        // When
        var code = await ServiceRunner.RunInProcessAsync(aws, ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules), RunTimeout);

        // Then the output holds exactly the kept records, each object within its partition, and every message is gone
        Assert.Equal(0, code);
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        var written = new List<string>();
        foreach (var (key, bytes) in outputs)
        {
            var records = TrailData.RecordsOf(bytes);
            var account = key.Split('/')[1];
            var day = $"{key.Split('/')[4]}-{key.Split('/')[5]}-{key.Split('/')[6]}";
            Assert.All(records, r => Assert.Contains($"\"recipientAccountId\":\"{account}\"", r, StringComparison.Ordinal));
            Assert.All(records, r => Assert.Contains($"\"eventTime\":\"{day}T", r, StringComparison.Ordinal));
            written.AddRange(records);
        }

        Assert.Equal(TrailData.Kept(all).Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
        Assert.Equal(4, outputs.Count); // 111122223333 on 01-02 and 01-03, 444455556666 on 01-02 and 01-03
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Dlq));
    }

    [Fact]
    public async Task Run_MirrorMode_SameKeysWithKeptRecordsInOrder()
    {
        var expected = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var records = Enumerable.Range(i * 1000, 1000).Select(id => TrailData.Record(id)).ToList();
            var key = $"AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/mirror-{i}.json.gz";
            await PutAsync(key, TrailData.File(records));
            await SendAsync(S3EventMessages.ObjectCreated(_env.Source, key, 1));
            expected[key] = TrailData.Kept(records).ToList();
        }

        var code = await ServiceRunner.RunInProcessAsync(aws, ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode: "Mirror"), RunTimeout);

        Assert.Equal(0, code);
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), outputs.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, records) in expected)
        {
            Assert.Equal(records, TrailData.RecordsOf(outputs[key]));
        }

        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
    }

    [Fact]
    public async Task Run_PoisonMessages_ReachTheDlqWhileGoodOnesComplete()
    {
        // Given a body nobody understands, a corrupt gzip object and a deleted object, between two good objects
        await PutAsync("good-1.json.gz", TrailData.File([TrailData.Record(1)]));
        await PutAsync("good-2.json.gz", TrailData.File([TrailData.Record(2)]));
        await PutAsync("corrupt.json.gz", [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, "good-1.json.gz", 1));
        await SendAsync("this is not a notification");
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, "corrupt.json.gz", 1));
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, "deleted-since.json.gz", 1));
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, "good-2.json.gz", 1));

        // When the service runs long enough for the poison to be received maxReceiveCount (2) times
        var code = await ServiceRunner.RunInProcessAsync(aws, ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode: "Mirror", untilIdle: "00:00:12"), RunTimeout);

        // Then the good objects are written, the deleted one acknowledged, the two poison messages are in the DLQ
        Assert.Equal(0, code);
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        Assert.Equal(["good-1.json.gz", "good-2.json.gz"], outputs.Keys.Order(StringComparer.Ordinal));
        var dead = await _env.Sqs.ReceiveAtLeastAsync(_env.Dlq, 2, TimeSpan.FromSeconds(20));
        Assert.Equal(2, dead.Count);
        Assert.Contains(dead, m => m.Body == "this is not a notification");
        Assert.Contains(dead, m => m.Body.Contains("corrupt.json.gz", StringComparison.Ordinal));
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
    }

    [Fact]
    public async Task Run_OutputBucketMissing_NoMessageDeleted()
    {
        await PutAsync("a.json.gz", TrailData.File([TrailData.Record(1)]));
        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, "a.json.gz", 1));

        var code = await ServiceRunner.RunInProcessAsync(aws, ServiceRunner.Settings(_env.Queue, _env.Output + "-missing", _env.Rules, untilIdle: "00:00:02"), RunTimeout);

        Assert.Equal(0, code);
        Assert.Equal(1, await _env.Sqs.CountAllMessagesAsync(_env.Queue) + await _env.Sqs.CountAllMessagesAsync(_env.Dlq));
    }

    [Fact]
    public async Task Run_ObjectOver100MegabytesUncompressed_WrittenThroughMultipart()
    {
        // Given one ~110 MB file of poorly compressible records (random padding), uploaded in parts as S3 would take it
        var random = new Random(42);
        var records = Enumerable.Range(0, 70_000).Select(id => TrailData.Record(id * 3 + 1, padding: Convert.ToHexString(RandomBytes(random, 750)))).ToList();
        var file = TrailData.File(records);
        using (var transfer = new Amazon.S3.Transfer.TransferUtility(_env.S3))
        {
            await transfer.UploadAsync(new Amazon.S3.Transfer.TransferUtilityUploadRequest
            {
                BucketName = _env.Source, Key = "big.json.gz", InputStream = new MemoryStream(file), PartSize = 8 * 1024 * 1024,
            });
        }

        await SendAsync(S3EventMessages.ObjectCreated(_env.Source, "big.json.gz", file.Length));

        // When
        var code = await ServiceRunner.RunInProcessAsync(aws, ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode: "Mirror"), TimeSpan.FromMinutes(3));

        // Then every record is there, byte for byte, and the object was larger than one part
        Assert.Equal(0, code);
        var output = (await BucketReader.ReadAllAsync(_env.S3, _env.Output))["big.json.gz"];
        Assert.True(output.Length > 5 * 1024 * 1024, $"output is {output.Length} bytes: not multipart");
        Assert.Equal(records, TrailData.RecordsOf(output));
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private async Task PutAsync(string key, byte[] content) =>
        await _env.S3.PutObjectAsync(new PutObjectRequest { BucketName = _env.Source, Key = key, InputStream = new MemoryStream(content) });

    private async Task SendAsync(string body) => await _env.Sqs.SendMessageAsync(_env.Queue, body);
}
