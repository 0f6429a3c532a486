using System.Diagnostics;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary>The delivery guarantee under a crash (kill -9) and a stop (SIGTERM), with the worker as a real process.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class CrashAndShutdownTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const int Objects = 30;
    private readonly Dictionary<string, List<string>> _kept = new(StringComparer.Ordinal);
    private ServiceResources _env = null!;

    public async Task InitializeAsync()
    {
        _env = await ServiceResources.CreateAsync(aws, "crash", maxReceiveCount: 10, visibilityTimeout: TimeSpan.FromSeconds(5));
        for (var i = 0; i < Objects; i++)
        {
            var records = Enumerable.Range(i * 2000, 2000).Select(id => TrailData.Record(id, padding: new string('p', 200))).ToList();
            var key = $"AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/02/crash-{i:D2}.json.gz";
            await _env.S3.PutObjectAsync(new PutObjectRequest { BucketName = _env.Source, Key = key, InputStream = new MemoryStream(TrailData.File(records)) });
            await _env.Sqs.SendMessageAsync(_env.Queue, S3EventMessages.ObjectCreated(_env.Source, key, 1));
            _kept[key] = TrailData.Kept(records).ToList();
        }
    }

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
    }

    [Theory]
    [InlineData("Batch")]
    [InlineData("Mirror")]
    public async Task Kill9MidRun_Restarted_EveryRecordPresent(string mode)
    {
        // Given a worker killed hard once it has written some output (batches small, so some are committed)
        var settings = ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode, untilIdle: "00:00:08");
        settings["Output:MaxBytes"] = "2000000";
        // A kill between an object's ledger claim and its batch's commit leaves a claim that only its lease ends: the
        // restarted worker takes it over then (the default lease, 5 min, would outlast the test's wait). A lease must
        // exceed twice the batch age, hence the short age.
        settings["Output:MaxAge"] = "00:00:02";
        settings["Output:ClaimLease"] = "00:00:12";
        using (var worker = CliProcess.Start(aws, ["run"], settings))
        {
            await ServiceResources.WaitForAsync(async () => (await _env.ListOutputAsync()).Count > 0, TimeSpan.FromSeconds(60), "the first output object");
            worker.Process.Kill(entireProcessTree: true);
            await worker.Process.WaitForExitAsync();
        }

        // When it is restarted and runs until the queue is drained (unacknowledged messages come back)
        var code = await ServiceRunner.RunInProcessAsync(aws, settings, TimeSpan.FromMinutes(2));

        // Then every kept record is in the output: none lost; duplicates allowed in batch mode, none in mirror mode
        Assert.Equal(0, code);
        var written = (await BucketReader.ReadAllAsync(_env.S3, _env.Output)).Values.SelectMany(TrailData.RecordsOf).ToList();
        var expected = _kept.Values.SelectMany(r => r).ToList();
        Assert.Empty(expected.Except(written, StringComparer.Ordinal));
        Assert.Empty(written.Except(expected, StringComparer.Ordinal));
        if (mode == "Mirror")
        {
            Assert.Equal(expected.Count, written.Count);
        }

        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
    }

    [Fact]
    public async Task Sigterm_DrainsAndExits0_NoMessageDeletedWithoutItsOutput()
    {
        // Given a mirror-mode worker in the middle of the work
        var settings = ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, "Mirror", untilIdle: null!);
        settings.Remove("Sqs:UntilIdle");
        using var worker = CliProcess.Start(aws, ["run"], settings);
        await ServiceResources.WaitForAsync(async () => (await _env.ListOutputAsync()).Count > 0, TimeSpan.FromSeconds(60), "the first output object");

        // When it receives SIGTERM
        using (var kill = Process.Start("kill", ["-TERM", worker.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await worker.Process.WaitForExitAsync(deadline.Token);

        // Then it exits 0, and every message no longer in the queue has its complete output
        Assert.Equal(0, worker.Process.ExitCode);
        await Task.Delay(TimeSpan.FromSeconds(6)); // let in-flight messages become visible again
        var remaining = (await _env.Sqs.ReceiveAtLeastAsync(_env.Queue, Objects, TimeSpan.FromSeconds(5)))
            .Select(m => _kept.Keys.Single(k => m.Body.Contains(S3EventMessages.EncodeKey(k), StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        foreach (var key in _kept.Keys.Where(k => !remaining.Contains(k)))
        {
            Assert.True(outputs.ContainsKey(key), $"message for {key} was deleted but it has no output");
            Assert.Equal(_kept[key], TrailData.RecordsOf(outputs[key]));
        }

        Assert.True(outputs.Count > 0);
    }
}
