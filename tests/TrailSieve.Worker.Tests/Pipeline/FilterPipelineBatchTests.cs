using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

public class FilterPipelineBatchTests
{
    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task RunAsync_RecordsOfManyPartitions_GroupedByAccountRegionDay(string codec)
    {
        // Given two objects mixing two accounts, two regions and two days
        var records = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            records.Add(OutputDocuments.Record(
                "RunInstances", account: i % 2 == 0 ? "111111111111" : "222222222222", region: i % 4 < 2 ? "us-east-1" : "eu-west-1",
                time: i % 8 < 4 ? "2026-01-01T23:59:59Z" : "2026-01-02T00:00:00Z", id: i));
        }

        var pipeline = PipelineHarness.DefaultPipeline();
        pipeline.Compression = Codecs.Choice(codec);
        var harness = new PipelineHarness { Pipeline = pipeline, Output = new OutputOptions { Mode = OutputMode.Batch, Prefix = "filtered/" } };

        // When
        await harness.RunAsync(
            PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document(records.Take(200))),
            PipelineHarness.GzipObject("b.json.gz", OutputDocuments.Document(records.Skip(200))));

        // Then 8 partitions, each object under its CloudTrail-style key, holding exactly its records
        Assert.Equal(8, harness.Sink.Committed.Count);
        var all = new List<string>();
        foreach (var key in harness.Sink.Committed.Keys)
        {
            Assert.Matches(@"^filtered/AWSLogs/(111111111111|222222222222)/CloudTrail/(us-east-1|eu-west-1)/2026/01/0[12]/\1_CloudTrail_\2_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$", key);
            var inObject = harness.Sink.RecordsOf(key);
            var account = key.Split('/')[2];
            var region = key.Split('/')[4];
            var day = "2026-01-" + key.Split('/')[7];
            Assert.All(inObject, r => Assert.Contains($"\"recipientAccountId\":\"{account}\"", r, StringComparison.Ordinal));
            Assert.All(inObject, r => Assert.Contains($"\"awsRegion\":\"{region}\"", r, StringComparison.Ordinal));
            Assert.All(inObject, r => Assert.Contains($"\"eventTime\":\"{day}", r, StringComparison.Ordinal));
            all.AddRange(inObject);
        }

        Assert.Equal(records.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        Assert.All(harness.Outcomes, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
    }

    [Fact]
    public async Task RunAsync_PartitionOverMaxBytes_SplitIntoSeveralObjects()
    {
        var records = Enumerable.Range(0, 1000).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToList();
        var harness = new PipelineHarness { Output = new OutputOptions { Mode = OutputMode.Batch, MaxBytes = 20_000 } };

        await harness.RunAsync([.. records.Chunk(100).Select((c, i) => PipelineHarness.GzipObject($"{i}.json.gz", OutputDocuments.Document(c)))]);

        Assert.True(harness.Sink.Committed.Count >= 5, $"{harness.Sink.Committed.Count} objects");
        var all = harness.Sink.Committed.Keys.SelectMany(harness.Sink.RecordsOf).ToList();
        Assert.Equal(records.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_EveryAppendFillsABatch_EachObjectReportedOnce()
    {
        // Given batches so small that appending any object commits its batch at once
        var harness = new PipelineHarness { Output = new OutputOptions { Mode = OutputMode.Batch, MaxBytes = 1024 } };

        var objects = Enumerable.Range(0, 20)
            .Select(i => PipelineHarness.GzipObject($"{i}.json.gz", OutputDocuments.Document(Enumerable.Range(i * 50, 50).Select(id => OutputDocuments.Record("RunInstances", id: id)))))
            .ToArray();

        await harness.RunAsync(objects);

        // Then every object has exactly one outcome (a second one would settle its SQS message early)
        Assert.Equal(20, harness.Outcomes.Count);
        Assert.Equal(20, harness.Outcomes.Select(o => o.Source.Key).Distinct().Count());
        Assert.Equal(1000, harness.Counters.Records);
    }

    [Fact]
    public async Task RunAsync_FailedObject_ContributesNoRecordToBatches()
    {
        // Given a good object and one that fails after several chunks, both in the same partition
        var good = Enumerable.Range(0, 300).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToList();
        var bad = "{\"Records\":[" + string.Join(",", Enumerable.Range(1000, 300).Select(i => OutputDocuments.Record("RunInstances", id: i))) + ",{\"x\":nul}]}";
        var harness = new PipelineHarness { Output = new OutputOptions { Mode = OutputMode.Batch } };

        await harness.RunAsync(PipelineHarness.GzipObject("bad.json.gz", bad), PipelineHarness.GzipObject("good.json.gz", OutputDocuments.Document(good)));

        var written = Assert.Single(harness.Sink.Committed.Keys);
        Assert.Equal(good, harness.Sink.RecordsOf(written));
        Assert.Equal(ObjectStatus.Failed, harness.OutcomeOf("bad.json.gz").Status);
    }

    [Fact]
    public async Task RunAsync_BatchOlderThanMaxAge_FlushedWhileInputStaysOpen()
    {
        // Given a batch pipeline fed through a channel that stays open (like the service's queue)
        var time = new FakeTimeProvider();
        var harness = new PipelineHarness { Time = time, Output = new OutputOptions { Mode = OutputMode.Batch, MaxAge = TimeSpan.FromSeconds(60) } };
        var pipeline = harness.Create();
        var objects = pipeline.CreateObjectChannel();
        var run = pipeline.RunAsync(objects.Reader, CancellationToken.None);
        await objects.Writer.WriteAsync(PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document([OutputDocuments.Record("RunInstances")])));
        await WaitUntilAsync(() => harness.Sink.Created == 1, TimeSpan.FromSeconds(10));

        // When less than max age passes nothing is flushed; when it passes, the batch is committed and the object done
        // (on the fake clock the writer wakes only for input, none, or its 60 s timer: nothing can commit at 30 s)
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(harness.Sink.Committed);
        time.Advance(TimeSpan.FromSeconds(31));
        await WaitUntilAsync(() => !harness.Sink.Committed.IsEmpty && harness.Outcomes.Count == 1, TimeSpan.FromSeconds(10));

        // Then
        Assert.Equal(ObjectStatus.Succeeded, harness.OutcomeOf("a.json.gz").Status);
        objects.Writer.Complete();
        await run;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < timeout)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "condition not met in time");
    }
}
