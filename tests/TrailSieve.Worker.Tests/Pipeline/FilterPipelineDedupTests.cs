using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

/// <summary>The batch window end to end: read, filter (identities built by the workers), write.</summary>
public sealed class FilterPipelineDedupTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task RunAsync_ObjectsRepeatingRecords_EachRecordWrittenOnceCountedAndMeasured(string codec)
    {
        // Given two objects of one partition sharing 50 of their records, read one after the other (so b is the second delivery), and a metrics collector
        var metrics = new TrailSieveMetrics(_services.GetRequiredService<IMeterFactory>());
        using var deduplicated = new MetricCollector<long>(metrics.Meter, "trailsieve.records.deduplicated");
        var records = Enumerable.Range(0, 150).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToList();
        var pipeline = PipelineHarness.OrderedPipeline();
        pipeline.Compression = Codecs.Choice(codec);
        var harness = new PipelineHarness { Pipeline = pipeline, Counters = new PipelineCounters(metrics), Output = new OutputOptions { Mode = OutputMode.Batch } };

        // When
        await harness.RunAsync(
            PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document(records.Take(100))),
            PipelineHarness.GzipObject("b.json.gz", OutputDocuments.Document(records.Skip(50))));

        // Then the batch holds each record once, in order; the counts agree in the outcome, the counters and the metric
        Assert.Equal(records, harness.Sink.RecordsOf(Assert.Single(harness.Sink.Committed.Keys)));
        Assert.Equal(50, harness.Outcomes.Single(o => o.Source.Key == "b.json.gz").Deduplicated);
        Assert.Equal((200L, 50L), (harness.Counters.Kept, harness.Counters.Deduplicated));
        Assert.Equal(50, deduplicated.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task RunAsync_CorpusFileWithSharedEventIds_EveryRecordWrittenAndASecondDeliveryDropped()
    {
        // Given the real corpus file whose 5,000 records include distinct records sharing an eventID, delivered twice
        var file = await File.ReadAllBytesAsync(SharedEventIds.File);
        var harness = new PipelineHarness { Output = new OutputOptions { Mode = OutputMode.Batch } };

        // When
        await harness.RunAsync(PipelineHarness.Object("first.json.gz", file), PipelineHarness.Object("again.json.gz", file));

        // Then every record of the file is written once: none lost for sharing an eventID, none twice
        var written = harness.Sink.Committed.Keys.SelectMany(harness.Sink.RecordsOf).ToList();
        var original = Records(Gzip.Decompress(file));
        Assert.Equal(5000, original.Count);
        Assert.Equal(original.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
        // (the two objects are read in parallel: whichever reaches the writer second is the second delivery)
        Assert.Equal([0L, 5000L], harness.Outcomes.Select(o => o.Deduplicated).Order());
        Assert.All(harness.Outcomes, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
    }

    [Fact]
    public async Task RunAsync_MirrorMode_NothingDeduplicated()
    {
        var record = OutputDocuments.Record("RunInstances", id: 1);
        var harness = new PipelineHarness { Output = new OutputOptions { Mode = OutputMode.Mirror } };

        await harness.RunAsync(PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document([record, record])));

        Assert.Equal([record, record], harness.Sink.RecordsOf("a.json.gz"));
        Assert.Equal(0, harness.Counters.Deduplicated);
    }

    private static List<string> Records(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetRawText())];
    }
}
