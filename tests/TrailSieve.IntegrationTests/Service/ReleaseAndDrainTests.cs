using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrailSieve.IntegrationTests.TestSupport;
using TrailSieve.Worker.Hosting;

namespace TrailSieve.IntegrationTests.Service;

/// <summary>
/// Messages that will not finish are released, not left to time out: poison reaches the DLQ within a one-off run,
/// and a stop with hundreds of open batches commits them all within the drain timeout.
/// </summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class ReleaseAndDrainTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(20);
    private ServiceResources _env = null!;

    public async Task InitializeAsync()
    {
        _env = await ServiceResources.CreateAsync(aws, "rel", maxReceiveCount: 2, visibilityTimeout: Visibility);
    }

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task RunUntilIdle_PoisonWithA20SecondVisibility_InTheDlqBeforeTheRunEndsAndTheQueueEmpty()
    {
        // Given a queue of visibility 20 s and maxReceiveCount 2 holding a corrupt object, a body nobody understands
        // and a good object
        await PutAsync("good.json.gz", TrailData.File([TrailData.Record(1)]));
        await PutAsync("corrupt.json.gz", [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        await _env.Sqs.SendMessageAsync(_env.Queue, S3EventMessages.ObjectCreated(_env.Source, "corrupt.json.gz", 1));
        await _env.Sqs.SendMessageAsync(_env.Queue, "this is not a notification");
        await _env.Sqs.SendMessageAsync(_env.Queue, S3EventMessages.ObjectCreated(_env.Source, "good.json.gz", 1));
        var settings = ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode: "Batch", untilIdle: "00:00:04");
        settings["Sqs:VisibilityTimeout"] = "00:00:20";
        settings["Sqs:ExtensionThreshold"] = "00:00:10";

        // When a one-off run drains it
        var stopwatch = Stopwatch.StartNew();
        var code = await ServiceRunner.RunInProcessAsync(aws, settings, TimeSpan.FromMinutes(1));
        stopwatch.Stop();

        // Then it ended sooner than one visibility timeout, with the poison already in the DLQ and nothing left behind:
        // a failed message is released at once, and the idle watch waited for it to come back and move on
        Assert.Equal(0, code);
        Assert.True(stopwatch.Elapsed < Visibility, $"the run took {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, await _env.Sqs.CountAllMessagesAsync(_env.Queue));
        Assert.Equal(2, await _env.Sqs.CountAllMessagesAsync(_env.Dlq));
        var written = (await BucketReader.ReadAllAsync(_env.S3, _env.Output)).Values.SelectMany(TrailData.RecordsOf).ToList();
        Assert.Equal([TrailData.Record(1)], written);
    }

    [Fact]
    public async Task Sigterm_500OpenPartitions_CommittedAndAcknowledgedWithinTheDrainTimeoutTheRestReleased()
    {
        // Given 500 objects in 500 partitions (20 accounts × 25 days), their batches open (max age 10 min)
        const int accounts = 20, days = 25;
        var expected = new List<string>();
        var sends = new List<SendMessageBatchRequestEntry>();
        for (var a = 0; a < accounts; a++)
        {
            for (var d = 0; d < days; d++)
            {
                var account = (100000000000L + a).ToString(CultureInfo.InvariantCulture);
                var day = new DateOnly(2026, 1, 1).AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var records = Enumerable.Range((a * days + d) * 3, 3).Select(id => TrailData.Record(id, account, day: day)).ToList();
                var key = $"AWSLogs/{account}/CloudTrail/us-east-1/{day.Replace('-', '/')}/{account}_{a}_{d}.json.gz";
                await PutAsync(key, TrailData.File(records));
                expected.AddRange(TrailData.Kept(records));
                sends.Add(new SendMessageBatchRequestEntry($"m{a}-{d}", S3EventMessages.ObjectCreated(_env.Source, key, 1)));
            }
        }

        foreach (var chunk in sends.Chunk(10))
        {
            await _env.Sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = _env.Queue, Entries = [.. chunk] });
        }

        var settings = ServiceRunner.Settings(_env.Queue, _env.Output, _env.Rules, mode: "Batch", untilIdle: null!);
        settings.Remove("Sqs:UntilIdle");
        settings["Sqs:VisibilityTimeout"] = "00:02:00";
        settings["Sqs:ExtensionThreshold"] = "00:01:00";
        settings["Sqs:DrainTimeout"] = "00:00:25";
        settings["Output:MaxAge"] = "00:10:00";
        settings["Output:ClaimLease"] = "00:21:00"; // more than twice the batch age (the delivery ledger's rule)
        var environment = aws.WorkerEnvironment();
        using var host = ServiceHost.Build(settings, name => environment.TryGetValue(name, out var value) ? value : null);
        await host.StartAsync();
        await ServiceResources.WaitForAsync(async () => await InFlightAsync() == sends.Count, TimeSpan.FromSeconds(90), "every message in flight");
        await ServiceResources.WaitForAsync(async () => (await _env.LedgerMarkersAsync()).Count == sends.Count, TimeSpan.FromSeconds(90), "every object claimed (Output:ExactlyOnce)");
        Assert.Empty(await _env.ListOutputAsync());

        // When it is told to stop (the host's SIGTERM path)
        var stopwatch = Stopwatch.StartNew();
        await host.StopAsync(CancellationToken.None);
        stopwatch.Stop();

        // Then within the drain timeout every batch is committed and its messages deleted, each kept record written
        // once; a message whose object had not reached the pipeline yet (receivers wait on a full object channel) is
        // released, visible to the next task at once: none is left invisible
        Assert.Equal(0, host.Services.GetRequiredService<ServiceExit>().Code);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(25), $"the drain took {stopwatch.Elapsed.TotalSeconds:F1} s");
        var outputs = await BucketReader.ReadAllAsync(_env.S3, _env.Output);
        var written = outputs.Values.SelectMany(TrailData.RecordsOf).ToList();
        Assert.Equal(written.Count, written.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(written.Except(expected, StringComparer.Ordinal));
        var attributes = await _env.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = _env.Queue, AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        });
        Assert.Equal(0, attributes.ApproximateNumberOfMessagesNotVisible);
        Assert.Equal(accounts * days, outputs.Count + attributes.ApproximateNumberOfMessages);
        Assert.True(outputs.Count >= accounts * days - 20, $"only {outputs.Count} partitions committed");
        Console.WriteLine($"drain of {outputs.Count} open partitions: {stopwatch.Elapsed.TotalSeconds:F1} s; {attributes.ApproximateNumberOfMessages} released");
    }

    private Task<PutObjectResponse> PutAsync(string key, byte[] body) =>
        _env.S3.PutObjectAsync(new PutObjectRequest { BucketName = _env.Source, Key = key, InputStream = new MemoryStream(body) });

    private async Task<int> InFlightAsync() =>
        (await _env.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = _env.Queue, AttributeNames = ["ApproximateNumberOfMessagesNotVisible"] }))
        .ApproximateNumberOfMessagesNotVisible;
}
