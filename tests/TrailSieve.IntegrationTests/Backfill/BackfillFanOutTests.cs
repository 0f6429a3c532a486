using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Backfill;

/// <summary>Backfill fanning out through the queue to two service workers, which drain it together.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class BackfillFanOutTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private readonly IAmazonSQS _sqs = aws.CreateSqsClient();
    private readonly string _rules = TrailData.WriteRules();
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-fanout-").FullName;
    private string _output = "";

    public async Task InitializeAsync() => _output = await aws.CreateBucketAsync("bf-fan-out");

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_output);
        File.Delete(_rules);
        Directory.Delete(_dir, recursive: true);
        _s3.Dispose();
        _sqs.Dispose();
    }

    [Fact]
    public async Task Backfill_Enqueue_TwoWorkersDrainTheQueueTogetherBothWorkingWithNoObjectLostOrProcessedTwice()
    {
        // Given 120 objects of their own, a queue, and two mirror-mode workers already polling it, each holding at
        // most two messages at a time (so neither can take the whole queue while the other waits)
        var source = await aws.CreateBucketAsync("bf-two");
        var queue = await aws.CreateQueueAsync("bf", TimeSpan.FromSeconds(30));
        var records = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var n = 0; n < 120; n++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"AWSLogs/777777777777/CloudTrail/eu-west-1/2026/01/{1 + (n / 40):D2}/777777777777_CloudTrail_eu-west-1_202601{1 + (n / 40):D2}T{n % 40 / 12:D2}{n % 12 * 5:D2}Z_w{n}.json.gz");
            records[key] = [.. Enumerable.Range(n * 500, 500).Select(i => TrailData.Record(i, "777777777777", "eu-west-1", padding: new string('p', 100)))];
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = key, InputStream = new MemoryStream(TrailData.File(records[key])) });
        }

        try
        {
            var settings = ServiceRunner.Settings(queue, _output, _rules, mode: "Mirror", untilIdle: "00:00:08");
            settings["Sqs:VisibilityTimeout"] = "00:00:30";
            settings["Sqs:MaxInFlightMessages"] = "2";
            settings["Sqs:Receivers"] = "1";
            settings["Metrics:Enabled"] = "false";
            using var one = CliProcess.Start(aws, ["run"], settings);
            using var two = CliProcess.Start(aws, ["run"], settings);
            await CliProcess.WaitUntilAsync(() => Started(one) && Started(two), Timeout, one, two);

            // When a backfill fans the objects out through the queue
            var (code, enqueue) = await CliProcess.RunAsync(aws, Timeout, "backfill", "--bucket", source, "--enqueue", queue, "--checkpoint", Path.Combine(_dir, "enqueue.json"));
            Assert.True(code == 0, enqueue.Errors);
            Assert.Contains($"enqueued {records.Count} messages", enqueue.Output, StringComparison.Ordinal);
            Assert.Equal(0, await one.WaitAsync(Timeout));
            Assert.Equal(0, await two.WaitAsync(Timeout));

            // Then both workers filtered some, each object was filtered by exactly one of them, and its output is
            // exactly its kept records
            var byOne = one.FilteredKeys(source);
            var byTwo = two.FilteredKeys(source);
            Assert.NotEmpty(byOne);
            Assert.NotEmpty(byTwo);
            Assert.Empty(byOne.Intersect(byTwo));
            Assert.Equal(records.Keys.Order(StringComparer.Ordinal), byOne.Concat(byTwo).Order(StringComparer.Ordinal));
            var outputs = await BucketReader.ReadAllAsync(_s3, _output);
            foreach (var (key, kept) in records)
            {
                Assert.Equal(TrailData.Kept(kept), TrailData.RecordsOf(outputs[key]));
            }

            var attributes = await _sqs.GetQueueAttributesAsync(queue, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
            Assert.Equal(0, attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible);
        }
        finally
        {
            await aws.DeleteQueueAsync(queue);
            await aws.DeleteBucketAsync(source);
        }

        static bool Started(CliProcess worker) => worker.Stdout.Concat(worker.Stderr).Any(line => line.Contains("TrailSieve started", StringComparison.Ordinal));
    }
}
