using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TrailSieve.Worker.Diagnostics.Emf;

namespace TrailSieve.Worker.Tests.Diagnostics;

public class EmfPublisherTests
{
    private static readonly TimeSpan s_ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task FlushAsync_RecordedMeasurements_WritesSpecCompliantDocumentsWithTheRecordedValues()
    {
        // Given a publisher and known measurements, watched by MetricCollectors too
        using var harness = new EmfHarness();
        var metrics = harness.Metrics;
        using var processed = new MetricCollector<long>(metrics.Meter, "trailsieve.records.processed");
        using var files = new MetricCollector<long>(metrics.Meter, "trailsieve.files");
        using var errors = new MetricCollector<long>(metrics.Meter, "trailsieve.errors");
        using var messages = new MetricCollector<long>(metrics.Meter, "trailsieve.sqs.messages");
        using var ruleHits = new MetricCollector<long>(metrics.Meter, "trailsieve.rule.hits");
        using var sizes = new MetricCollector<long>(metrics.Meter, "trailsieve.output.object.size");

        metrics.ObjectCompleted("succeeded", 100, 40, 60, 1_000, 9_000, 12 * s_ms, null);
        metrics.ObjectCompleted("succeeded", 300, 60, 240, 2_000, 18_000, 30 * s_ms, null);
        metrics.ObjectCompleted("failed", 0, 0, 0, 0, 0, 5 * s_ms, "AccessDenied");
        metrics.Error("Throttling", 2);
        metrics.Messages("received", 5);
        metrics.Messages("deleted", 3);
        metrics.RuleHits("drop-noise", 7);
        metrics.RuleHits("keep-iam", 2);
        metrics.OutputCommitted(1_000);
        metrics.OutputCommitted(2_500);
        metrics.RulesReload(success: true);

        // When the interval is flushed
        harness.Clock.Advance(TimeSpan.FromSeconds(60));
        var documents = await harness.FlushAsync();

        // Then every document is in the namespace, stamped with the clock's time
        Assert.All(documents, d => Assert.Equal("TrailSieve", d.Namespace));
        Assert.All(documents, d => Assert.Equal(harness.Clock.GetUtcNow().ToUnixTimeMilliseconds(), d.Timestamp));

        // And the values are what was recorded, and what the collectors saw
        var plain = Single(documents);
        Assert.Equal(400, Value(plain, "RecordsProcessed", "Count"));
        Assert.Equal(processed.GetMeasurementSnapshot().Sum(m => m.Value), Value(plain, "RecordsProcessed", "Count"));
        Assert.Equal(100, Value(plain, "RecordsKept", "Count"));
        Assert.Equal(300, Value(plain, "RecordsFiltered", "Count"));
        Assert.Equal(75, Value(plain, "FilterRate", "Percent"));
        Assert.Equal(2, Value(plain, "FilesSucceeded", "Count"));
        Assert.Equal(1, Value(plain, "FilesFailed", "Count"));
        Assert.Equal(TagSum(files, "status", "succeeded"), Value(plain, "FilesSucceeded", "Count"));
        Assert.Equal(3_000, Value(plain, "BytesInCompressed", "Bytes"));
        Assert.Equal(27_000, Value(plain, "BytesInRaw", "Bytes"));
        Assert.Equal(3_500, Value(plain, "BytesOut", "Bytes"));
        Assert.Equal(2, Value(plain, "OutputObjects", "Count"));
        Assert.Equal(5, Value(plain, "MessagesReceived", "Count"));
        Assert.Equal(TagSum(messages, "operation", "received"), Value(plain, "MessagesReceived", "Count"));
        Assert.Equal(3, Value(plain, "MessagesDeleted", "Count"));
        Assert.Equal(1, Value(plain, "RulesReloadsSuccess", "Count"));
        // One ProcessingTime series (the Go Lambdas' name) whatever the outcome.
        Assert.Equal([5.0, 12.0, 30.0], Values(plain, "ProcessingTime", "Milliseconds").Order());
        Assert.Equal([1_000.0, 2_500.0], Values(plain, "OutputObjectSize", "Bytes"));
        Assert.Equal(sizes.GetMeasurementSnapshot().Select(m => (double)m.Value), Values(plain, "OutputObjectSize", "Bytes"));

        // And errors and rule hits carry their own dimension, one document per value
        Assert.Equal(1, Value(Single(documents, ("ErrorType", "AccessDenied")), "Errors", "Count"));
        Assert.Equal(2, Value(Single(documents, ("ErrorType", "Throttling")), "Errors", "Count"));
        Assert.Equal(TagSum(errors, "error.type", "Throttling"), Value(Single(documents, ("ErrorType", "Throttling")), "Errors", "Count"));
        Assert.Equal(7, Value(Single(documents, ("Rule", "drop-noise")), "RuleHits", "Count"));
        Assert.Equal(TagSum(ruleHits, "rule", "keep-iam"), Value(Single(documents, ("Rule", "keep-iam")), "RuleHits", "Count"));
        Assert.Equal(5, documents.Count);

        // And instruments with no data are left out
        Assert.DoesNotContain(documents, d => d.Metrics.ContainsKey("ConfigLoadTime") || d.Metrics.ContainsKey("S3Latency"));
    }

    [Fact]
    public async Task FlushAsync_AfterAFlush_StartsAFreshInterval()
    {
        // Given an interval already flushed
        using var harness = new EmfHarness();
        harness.Metrics.ObjectCompleted("succeeded", 10, 10, 0, 100, 500, s_ms, null);
        harness.Metrics.OutputCommitted(100);
        await harness.FlushAsync();

        // When nothing more is recorded, nothing is written
        Assert.Empty(await harness.FlushAsync());

        // When more is recorded, only that is written
        harness.Metrics.ObjectCompleted("succeeded", 4, 1, 3, 100, 500, s_ms, null);
        var plain = Single(await harness.FlushAsync());
        Assert.Equal(4, Value(plain, "RecordsProcessed", "Count"));
        Assert.Equal(3, Value(plain, "RecordsFiltered", "Count"));
        Assert.Equal(75, Value(plain, "FilterRate", "Percent"));
        Assert.Equal(1, Value(plain, "FilesSucceeded", "Count"));
        Assert.False(plain.Metrics.ContainsKey("OutputObjectSize"));
    }

    [Fact]
    public async Task FlushAsync_NoRecordsProcessed_NoFilterRate()
    {
        using var harness = new EmfHarness();
        harness.Metrics.ObjectCompleted("skipped", 0, 0, 0, 0, 0, s_ms, null);

        var plain = Single(await harness.FlushAsync());

        Assert.Equal(1, Value(plain, "FilesSkipped", "Count"));
        Assert.False(plain.Metrics.ContainsKey("FilterRate"));
    }

    [Fact]
    public async Task FlushAsync_MoreThan100Metrics_SplitIntoDocumentsOfAtMost100()
    {
        // Given 150 metric names in one dimension set, 150 rules and 250 histogram values
        using var harness = new EmfHarness();
        for (var i = 0; i < 150; i++)
        {
            harness.Metrics.Messages($"op{i}", i + 1);
            harness.Metrics.RuleHits($"rule-{i}", i + 1);
        }

        for (var i = 1; i <= 250; i++)
        {
            harness.Metrics.OutputCommitted(i);
        }

        // When flushed
        var documents = await harness.FlushAsync();

        // Then no document has more than 100 metrics (checked by the parser) and nothing is lost
        var plain = documents.Where(d => d.Dimensions.Count == 0).ToList();
        Assert.Equal(3, plain.Count);
        var merged = plain.SelectMany(d => d.Metrics).Where(m => m.Key.StartsWith("MessagesOp", StringComparison.Ordinal)).ToList();
        Assert.Equal(150, merged.Count);
        Assert.Equal(Enumerable.Range(1, 150).Sum(), merged.Sum(m => m.Value.Values.Single()));
        var sizes = plain.Where(d => d.Metrics.ContainsKey("OutputObjectSize")).Select(d => d.Metrics["OutputObjectSize"].Values).ToList();
        Assert.Equal([100, 100, 50], sizes.Select(v => v.Length));
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (double)i), sizes.SelectMany(v => v));

        var rules = documents.Where(d => d.Dimensions.ContainsKey("Rule")).ToList();
        Assert.Equal(150, rules.Count);
        Assert.All(rules, d => Assert.Equal(int.Parse(d.Dimensions["Rule"]["rule-".Length..], System.Globalization.CultureInfo.InvariantCulture) + 1, d.Metrics["RuleHits"].Values.Single()));
    }

    [Fact]
    public async Task FlushAsync_ManyLongHistogramValues_EveryDocumentFitsOneLogEvent()
    {
        // Given 1,000 values with long decimal expansions in several histograms (the parser checks the line size)
        using var harness = new EmfHarness();
        for (var i = 0; i < 1_000; i++)
        {
            harness.Metrics.S3Request("get", TimeSpan.FromTicks(1_234_567 + (i * 7_919)));
            harness.Metrics.S3Request("put", TimeSpan.FromTicks(7_654_321 + (i * 7_919)));
            harness.Metrics.ObjectCompleted("succeeded", 1, 1, 0, 1, 1, TimeSpan.FromTicks(3_333_333 + i), null);
        }

        var documents = await harness.FlushAsync();

        Assert.Equal(1_000, documents.Where(d => d.Metrics.ContainsKey("S3LatencyGet")).Sum(d => d.Metrics["S3LatencyGet"].Values.Length));
        Assert.Equal(1_000, documents.Where(d => d.Metrics.ContainsKey("ProcessingTime")).Sum(d => d.Metrics["ProcessingTime"].Values.Length));
    }

    [Fact]
    public async Task FlushAsync_MoreValuesThanKept_KeepsABoundedSample()
    {
        using var harness = new EmfHarness();
        for (var i = 0; i < 3 * EmfSeries.MaxValuesPerInterval; i++)
        {
            harness.Metrics.OutputCommitted(i);
        }

        var documents = await harness.FlushAsync();

        var values = documents.Where(d => d.Metrics.ContainsKey("OutputObjectSize")).SelectMany(d => d.Metrics["OutputObjectSize"].Values).ToList();
        Assert.Equal(EmfSeries.MaxValuesPerInterval, values.Count);
        Assert.Equal(3 * EmfSeries.MaxValuesPerInterval, Value(documents.Single(d => d.Metrics.ContainsKey("OutputObjects")), "OutputObjects", "Count"));
    }

    [Fact]
    public async Task FlushAsync_ObservableGauges_ReadAtFlush()
    {
        // Given gauges for the service and the pipeline channels
        using var harness = new EmfHarness();
        var age = 12.5;
        harness.Metrics.ObserveService(() => age, () => 3);
        harness.Metrics.ObservePipeline(() =>
        [
            new(4, new KeyValuePair<string, object?>("channel", "objects")),
            new(7, new KeyValuePair<string, object?>("channel", "records")),
        ]);

        // When flushed twice, the gauge changing in between
        var first = await harness.FlushAsync();
        age = 20;
        var second = await harness.FlushAsync();

        // Then each flush reads the current values
        Assert.Equal(12.5, Value(Single(first), "OldestInFlightMessageAge", "Seconds"));
        Assert.Equal(3, Value(Single(first), "MessagesInFlight", "Count"));
        Assert.Equal(20, Value(Single(second), "OldestInFlightMessageAge", "Seconds"));
        Assert.Equal(4, Value(Single(first, ("Channel", "objects")), "ChannelDepth", "Count"));
        Assert.Equal(7, Value(Single(second, ("Channel", "records")), "ChannelDepth", "Count"));
    }

    [Fact]
    public async Task FlushAsync_FixedDimensions_OnEveryDocument()
    {
        using var harness = new EmfHarness(o =>
        {
            o.Namespace = "Custom/Trail";
            o.Dimensions["Mode"] = "batch";
        });
        harness.Metrics.Messages("received", 1);
        harness.Metrics.Error("Throttling");

        var documents = await harness.FlushAsync();

        Assert.Equal(2, documents.Count);
        Assert.All(documents, d => Assert.Equal("Custom/Trail", d.Namespace));
        Assert.All(documents, d => Assert.Equal("batch", d.Dimensions["Mode"]));
        Assert.Equal(["ErrorType", "Mode"], Single(documents, ("ErrorType", "Throttling")).DimensionNames);
        Assert.Equal(1, Value(Single(documents, ("Mode", "batch")), "MessagesReceived", "Count"));
    }

    [Fact]
    public async Task FlushAsync_Disabled_WritesNothing()
    {
        // Given metrics disabled
        using var harness = new EmfHarness(o => o.Enabled = false);
        harness.Metrics.Messages("received", 5);
        harness.Metrics.ObserveService(() => 1, () => 1);

        // When flushed directly and by the (never started) timer
        await harness.Publisher.StartAsync(CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await harness.Publisher.FlushAsync();
        await harness.Publisher.StopAsync(CancellationToken.None);

        // Then nothing is written
        Assert.Equal(string.Empty, harness.Output.ToString());
    }

    [Fact]
    public async Task ExecuteAsync_FlushIntervalPasses_TimerFlushes_AndStopFlushesTheRest()
    {
        // Given a started publisher with a 10 s interval
        using var harness = new EmfHarness(o => o.FlushInterval = TimeSpan.FromSeconds(10));
        await harness.Publisher.StartAsync(CancellationToken.None);
        harness.Metrics.Messages("received", 5);

        // When the interval has not passed, nothing is written
        harness.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(harness.Output.Written.IsCompleted);

        // When it passes, the timer flushes
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await harness.Output.Written.WaitAsync(TimeSpan.FromSeconds(10));
        var first = EmfSpec.Parse(harness.Output.ToString());
        Assert.Equal(5, Value(Single(first), "MessagesReceived", "Count"));
        Assert.Equal(EmfHarness.Start.AddSeconds(10).ToUnixTimeMilliseconds(), Single(first).Timestamp);

        // When stopped, what was recorded since is written
        harness.Metrics.Messages("deleted", 5);
        var before = harness.Output.ToString().Length;
        await harness.Publisher.StopAsync(CancellationToken.None);
        var last = EmfSpec.Parse(harness.Output.ToString()[before..]);
        Assert.Equal(5, Value(Single(last), "MessagesDeleted", "Count"));
        Assert.False(Single(last).Metrics.ContainsKey("MessagesReceived"));
    }

    [Fact]
    public async Task FlushAsync_MeasurementsFromManyThreadsDuringFlushes_NoneLostOrCountedTwice()
    {
        // Given four threads recording while another flushes repeatedly
        using var harness = new EmfHarness();
        var recording = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                harness.Metrics.Messages("received", 1);
                harness.Metrics.Error("Throttling");
            }
        })).ToArray();
        var documents = new List<EmfDocument>();
        while (!recording.All(t => t.IsCompleted))
        {
            documents.AddRange(await harness.FlushAsync());
        }

        // When the last interval is flushed
        await Task.WhenAll(recording);
        documents.AddRange(await harness.FlushAsync());

        // Then every measurement is in exactly one interval
        Assert.Equal(80_000, documents.Where(d => d.Metrics.ContainsKey("MessagesReceived")).Sum(d => d.Metrics["MessagesReceived"].Values.Single()));
        Assert.Equal(80_000, documents.Where(d => d.Metrics.ContainsKey("Errors")).Sum(d => d.Metrics["Errors"].Values.Single()));
    }

    private static EmfDocument Single(List<EmfDocument> documents, params (string Name, string Value)[] dimensions) =>
        Assert.Single(documents, d => d.Dimensions.Count - d.Dimensions.Keys.Count(k => k == "Mode") == dimensions.Count(x => x.Name != "Mode")
            && dimensions.All(x => d.Dimensions.TryGetValue(x.Name, out var v) && v == x.Value));

    private static double Value(EmfDocument document, string name, string unit)
    {
        var metric = document.Metrics[name];
        Assert.Equal(unit, metric.Unit);
        Assert.False(metric.IsArray);
        return metric.Values.Single();
    }

    private static double[] Values(EmfDocument document, string name, string unit)
    {
        var metric = document.Metrics[name];
        Assert.Equal(unit, metric.Unit);
        Assert.True(metric.IsArray);
        return metric.Values;
    }

    private static double TagSum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => m.Tags.TryGetValue(tag, out var v) && Equals(v, value)).Sum(m => m.Value);
}
