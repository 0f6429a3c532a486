using System.Diagnostics;
using System.Text.Json;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary>
/// Exactly-once batch output (Output:ExactlyOnce, on by default) with the worker as a real process killed hard at
/// each point between its claims and its deletes, and with duplicate notifications. The emulator ignores S3's
/// conditional writes, so these prove the recovery paths end to end; the races are proven in DeliveryLedgerTests.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class ExactlyOnceTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const int Objects = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly List<string> _keys = [];
    private readonly List<string> _expectedIds = [];
    private ServiceResources _env = null!;

    public async Task InitializeAsync()
    {
        _env = await ServiceResources.CreateAsync(aws, "once", maxReceiveCount: 10, visibilityTimeout: TimeSpan.FromSeconds(5));
        for (var i = 0; i < Objects; i++)
        {
            var records = Enumerable.Range(i * 300, 300).Select(id => TrailData.Record(id)).ToList();
            var key = $"AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/once-{i:D2}.json.gz";
            await _env.S3.PutObjectAsync(new PutObjectRequest { BucketName = _env.Source, Key = key, InputStream = new MemoryStream(TrailData.File(records)) });
            _keys.Add(key);
            _expectedIds.AddRange(TrailData.Kept(records).Select(EventId));
        }
    }

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Kill9AfterTheClaimsBeforeTheUpload_Restarted_EveryKeptRecordExactlyOnce()
    {
        // Given a worker killed hard once every object is claimed in the ledger, its batch still open (5 s max age)
        await EnqueueAllAsync();
        var settings = Settings(maxAge: "00:00:05");
        using (var worker = CliProcess.Start(aws, ["run"], settings))
        {
            await WaitForAsync(async () => (await _env.LedgerMarkersAsync()).Count == Objects, worker, "a claim for every object");
            worker.Process.Kill(entireProcessTree: true);
            await worker.Process.WaitForExitAsync();
        }

        Assert.Empty(await BucketReader.ReadAllAsync(_env.S3, _env.Output));

        // When it is restarted and runs until the queue is drained (the claims are taken over once their lease passed)
        using var restarted = CliProcess.Start(aws, ["run"], settings);
        var code = await restarted.WaitAsync(Timeout);

        // Then every kept record is in the output exactly once, every claim names a durable batch, the queue is empty
        Assert.True(code == 0, restarted.Errors);
        await AssertExactlyOnceAsync();
        Assert.Contains("is claimed by", restarted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill9AfterTheUploadBeforeTheDelete_Restarted_EveryKeptRecordExactlyOnce()
    {
        // Given a worker killed hard as soon as a batch is committed, its deletes held back (10 s to fill a batch of 10)
        await EnqueueAllAsync();
        var settings = Settings(maxAge: "00:00:01");
        settings["Sqs:DeleteBatchDelay"] = "00:00:10";
        using (var worker = CliProcess.Start(aws, ["run"], settings))
        {
            await WaitForAsync(async () => (await _env.ListOutputAsync()).Count > 0, worker, "the first batch");
            worker.Process.Kill(entireProcessTree: true);
            await worker.Process.WaitForExitAsync();
        }

        Assert.Equal(Objects, await _env.Sqs.CountAllMessagesAsync(_env.Queue));

        // When it is restarted and runs until the queue is drained
        using var restarted = CliProcess.Start(aws, ["run"], settings);
        var code = await restarted.WaitAsync(Timeout);

        // Then the redelivered objects whose batch is durable were acknowledged without being written again
        Assert.True(code == 0, restarted.Errors);
        await AssertExactlyOnceAsync();
        Assert.Contains("already delivered", restarted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameNotificationTwice_RecordsOnce()
    {
        // Given every notification sent twice (S3 and SQS both deliver at least once)
        await EnqueueAllAsync();
        await EnqueueAllAsync();

        // When the service runs until the queue is drained
        var code = await ServiceRunner.RunInProcessAsync(aws, Settings(maxAge: "00:00:01"), Timeout);

        // Then each object's kept records are in the output once, and both copies of every message were acknowledged
        Assert.Equal(0, code);
        await AssertExactlyOnceAsync();
    }

    private Dictionary<string, string?> Settings(string maxAge)
    {
        var settings = ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, "Batch", untilIdle: "00:00:08");
        settings["Output:MaxAge"] = maxAge;
        settings["Output:ClaimLease"] = "00:00:12";
        return settings;
    }

    private async Task EnqueueAllAsync()
    {
        foreach (var key in _keys)
        {
            await _env.Sqs.SendMessageAsync(_env.Queue, S3EventMessages.ObjectCreated(_env.Source, key, 1));
        }
    }

    private async Task AssertExactlyOnceAsync()
    {
        var written = (await BucketReader.ReadAllAsync(_env.S3, _env.Output)).Values.SelectMany(TrailData.RecordsOf).Select(EventId).ToList();
        var duplicated = written.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicated);
        Assert.Equal(_expectedIds.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
        var batches = await _env.ListOutputAsync();
        foreach (var marker in await _env.LedgerMarkersAsync())
        {
            using var response = await _env.S3.GetObjectAsync(_env.Output, marker);
            using var document = await JsonDocument.ParseAsync(response.ResponseStream);
            Assert.All(document.RootElement.GetProperty("batches").EnumerateObject(), b => Assert.Contains(b.Value.GetString(), batches));
        }

        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Dlq));
    }

    private static string EventId(string record)
    {
        using var document = JsonDocument.Parse(record);
        return document.RootElement.GetProperty("eventID").GetString()!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, CliProcess worker, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < Timeout && !worker.Process.HasExited, $"not seen in time: {what}\nstdout:\n{worker.Output}\nstderr:\n{worker.Errors}");
            await Task.Delay(20);
        }
    }
}
