using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

public class QuarantinePipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Theory]
    [CodecData(Codecs.Zlib, OutputMode.Mirror)]
    [CodecData(Codecs.Zlib, OutputMode.Batch)]
    [CodecData(Codecs.Isal, OutputMode.Mirror)]
    [CodecData(Codecs.Isal, OutputMode.Batch)]
    public async Task RunAsync_UnusableRecordsInTheMiddle_OthersWrittenAndEachQuarantined(string codec, OutputMode mode)
    {
        // Given 600 records over many chunks, with a number and an over-size record among them
        var records = Enumerable.Range(0, 600).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToList();
        var big = "{\"blob\":\"" + new string('x', 5000) + "\"}";
        var json = "{\"Records\":[" + string.Join(",", records.Take(200)) + ",42," + string.Join(",", records.Skip(200).Take(200)) + "," + big + ","
            + string.Join(",", records.Skip(400)) + "]}";
        var harness = new PipelineHarness
        {
            Time = new FakeTimeProvider(Now),
            Pipeline = new PipelineOptions { FilterParallelism = 4, ChunkBytes = 4096, ChunkQueueCapacity = 2, MaxRecordBytes = 4096, Compression = Codecs.Choice(codec) },
            Output = new OutputOptions { Mode = mode },
        };

        // When
        await harness.RunAsync(PipelineHarness.GzipObject("a.json.gz", json));

        // Then every usable record is written in order, and the two others are in the day's quarantine
        var outcome = harness.OutcomeOf("a.json.gz");
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        Assert.Equal((600L, 600L, 2L), (outcome.Records, outcome.Kept, outcome.Quarantined));
        Assert.Equal(2, harness.Counters.Quarantined);
        var outputs = harness.Sink.Committed.Keys.Where(k => !k.StartsWith("quarantine/", StringComparison.Ordinal)).ToList();
        Assert.Equal(records, outputs.SelectMany(harness.Sink.RecordsOf));
        var lines = QuarantineLines(harness.Sink);
        Assert.Equal(2, lines.Count);
        Assert.Equal(("test://a.json.gz", 200, "NotAnObject", "42"), (lines[0].GetProperty("source").GetString(), lines[0].GetProperty("index").GetInt64(), lines[0].GetProperty("kind").GetString(), lines[0].GetProperty("record").GetRawText()));
        Assert.Equal(json.IndexOf(",42,", StringComparison.Ordinal) + 1, lines[0].GetProperty("offset").GetInt64());
        Assert.Equal(("RecordTooLarge", 401L, (long)big.Length), (lines[1].GetProperty("kind").GetString(), lines[1].GetProperty("index").GetInt64(), lines[1].GetProperty("length").GetInt64()));
        Assert.Equal(json.IndexOf(big, StringComparison.Ordinal), lines[1].GetProperty("offset").GetInt64());
        Assert.False(lines[1].TryGetProperty("record", out _));
        Assert.Contains("4096", lines[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_QuarantineBatchOpen_OutcomeOnlyOnceItIsCommitted()
    {
        // Given a pipeline whose input stays open (the service) and an object with one unusable record
        var time = new FakeTimeProvider(Now);
        var harness = new PipelineHarness { Time = time, Output = new OutputOptions { Mode = OutputMode.Mirror, MaxAge = TimeSpan.FromSeconds(60) } };
        var quarantineOpened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Sink.OnCreated = key =>
        {
            if (key.StartsWith("quarantine/", StringComparison.Ordinal))
            {
                quarantineOpened.TrySetResult();
            }
        };
        var pipeline = harness.Create();
        var objects = pipeline.CreateObjectChannel();
        var run = pipeline.RunAsync(objects.Reader, CancellationToken.None);
        await objects.Writer.WriteAsync(PipelineHarness.GzipObject("a.json.gz", "{\"Records\":[" + OutputDocuments.Record("RunInstances") + ",[1,2]]}"));

        // When the quarantine batch is open: on the fake clock nothing can commit it before its 60 s are up
        await quarantineOpened.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(harness.Outcomes);
        time.Advance(TimeSpan.FromSeconds(61));
        var outcome = await harness.CompletionOf("a.json.gz").WaitAsync(TimeSpan.FromSeconds(10));

        // Then the object is reported done only with its quarantine line durable, under the day it was written
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        var key = Assert.Single(harness.Sink.Committed.Keys, k => k.StartsWith("quarantine/", StringComparison.Ordinal));
        Assert.Matches(@"^quarantine/2026/03/04/quarantine-[A-Za-z0-9]{16}\.jsonl\.gz$", key);
        Assert.Equal("[1,2]", Assert.Single(QuarantineLines(harness.Sink)).GetProperty("record").GetRawText());
        objects.Writer.Complete();
        await run;
    }

    [Fact]
    public async Task RunAsync_QuarantineCommitFails_ObjectFails()
    {
        var harness = new PipelineHarness();
        harness.Sink.FailCommit = key => key.StartsWith("quarantine/", StringComparison.Ordinal);

        await harness.RunAsync(PipelineHarness.GzipObject("a.json.gz", "{\"Records\":[null," + OutputDocuments.Record("RunInstances") + "]}"));

        var outcome = harness.OutcomeOf("a.json.gz");
        Assert.Equal(ObjectStatus.Failed, outcome.Status);
        Assert.Contains("quarantine", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SyntaxErrorAfterAnUnusableRecord_ObjectFailsNamingTheOffsetAndQuarantinesNothing()
    {
        // Given an object whose later record is not valid JSON: nothing of it can be trusted
        const string json = """{"Records":[7,{"eventName":"RunInstances"},{"eventName":tru}]}""";
        var harness = new PipelineHarness();

        await harness.RunAsync(PipelineHarness.GzipObject("a.json.gz", json));

        var outcome = harness.OutcomeOf("a.json.gz");
        Assert.Equal(ObjectStatus.Failed, outcome.Status);
        Assert.Equal("InvalidRecord", outcome.ErrorType);
        Assert.Contains($"record 2 (at byte {json.IndexOf("{\"eventName\":tru", StringComparison.Ordinal)})", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Sink.Committed);
        Assert.Equal(0, harness.Counters.Quarantined);
    }

    private static List<JsonElement> QuarantineLines(InMemorySink sink) =>
        [.. sink.Committed
            .Where(e => e.Key.StartsWith("quarantine/", StringComparison.Ordinal))
            .SelectMany(e => System.Text.Encoding.UTF8.GetString(Gzip.Decompress(e.Value)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => JsonSerializer.Deserialize<JsonElement>(line))
            .OrderBy(line => line.GetProperty("index").GetInt64())];
}
