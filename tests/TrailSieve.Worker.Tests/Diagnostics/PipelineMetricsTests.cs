using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Diagnostics;

public sealed class PipelineMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task RunAsync_KnownFiles_MetricsEqualWhatTheFilesContain()
    {
        // Given the metrics of a real pipeline over two good files and a bad one
        var metrics = new TrailSieveMetrics(_services.GetRequiredService<IMeterFactory>());
        using var processed = new MetricCollector<long>(metrics.Meter, "trailsieve.records.processed");
        using var kept = new MetricCollector<long>(metrics.Meter, "trailsieve.records.kept");
        using var dropped = new MetricCollector<long>(metrics.Meter, "trailsieve.records.dropped");
        using var files = new MetricCollector<long>(metrics.Meter, "trailsieve.files");
        using var errors = new MetricCollector<long>(metrics.Meter, "trailsieve.errors");
        using var hits = new MetricCollector<long>(metrics.Meter, "trailsieve.rule.hits");
        using var outputs = new MetricCollector<long>(metrics.Meter, "trailsieve.output.objects");
        using var bytesIn = new MetricCollector<long>(metrics.Meter, "trailsieve.bytes.in");
        using var duration = new MetricCollector<double>(metrics.Meter, "trailsieve.file.duration");
        var harness = new PipelineHarness
        {
            Counters = new PipelineCounters(metrics),
            Rules = RuleSetLoader.Load("rules:\n  - name: no describes\n    matches:\n      - field_name: eventName\n        prefix: Describe\n", "test"),
        };
        var first = Enumerable.Range(0, 300).Select(i => OutputDocuments.Record(i % 3 == 0 ? "DescribeInstances" : "RunInstances", id: i)).ToList();
        var second = Enumerable.Range(0, 100).Select(i => OutputDocuments.Record("DescribeVolumes", id: i)).ToList();
        var firstBytes = Gzip.Compress(OutputDocuments.Document(first));
        var secondBytes = Gzip.Compress(OutputDocuments.Document(second));

        // When
        await harness.RunAsync(
            PipelineHarness.Object("a.json.gz", firstBytes),
            PipelineHarness.Object("b.json.gz", secondBytes),
            PipelineHarness.GzipObject("bad.json.gz", "{\"Records\":[{\"a\":1}"));

        // Then every count equals what the files contain
        Assert.Equal(400, Sum(processed));
        Assert.Equal(200, Sum(kept));
        Assert.Equal(200, Sum(dropped));
        Assert.Equal(200, Sum(hits));
        Assert.Equal("no describes", hits.GetMeasurementSnapshot().Select(m => m.Tags["rule"]).Distinct().Single());
        Assert.Equal(2, files.GetMeasurementSnapshot().Where(m => (string?)m.Tags["status"] == "succeeded").Sum(m => m.Value));
        Assert.Equal(1, files.GetMeasurementSnapshot().Where(m => (string?)m.Tags["status"] == "failed").Sum(m => m.Value));
        Assert.Equal("TruncatedJson", errors.GetMeasurementSnapshot().Single().Tags["error.type"]);
        Assert.Equal(1, Sum(outputs)); // b.json.gz keeps nothing, so only a.json.gz is written
        Assert.Equal(firstBytes.Length + secondBytes.Length, bytesIn.GetMeasurementSnapshot().Where(m => (string?)m.Tags["kind"] == "compressed").Sum(m => m.Value));
        Assert.Equal(3, duration.GetMeasurementSnapshot().Count);
    }

    private static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);
}
