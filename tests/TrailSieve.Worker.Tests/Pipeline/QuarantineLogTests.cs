using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

/// <summary>The quarantine warning (event 120): once per quarantined record, naming where it is, never what it holds.</summary>
public sealed class QuarantineLogTests
{
    private const string Secret = "AKIAQUARANTINESECRET";

    [Theory]
    [InlineData(OutputMode.Mirror)]
    [InlineData(OutputMode.Batch)]
    public async Task RunAsync_ThreeUnusableRecords_OneWarningEachWithObjectIndexOffsetAndKindAndNoContents(OutputMode mode)
    {
        // Given an object whose elements 1, 3 and 4 are unusable (a string, an array and an over-size record), each
        // holding a secret, among records spread over several chunks
        var records = Enumerable.Range(0, 6).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToList();
        var text = "\"" + Secret + "-text\"";
        var array = "[\"" + Secret + "-array\"]";
        var big = "{\"blob\":\"" + Secret + new string('x', 5000) + "\"}";
        var json = "{\"Records\":[" + string.Join(",", records[0], text, records[1], array, big, records[2], records[3], records[4], records[5]) + "]}";
        var logger = new FakeLogger();
        var harness = new PipelineHarness
        {
            Logger = logger,
            Pipeline = new PipelineOptions { FilterParallelism = 2, ChunkBytes = 4096, MaxRecordBytes = 4096 },
            Output = new OutputOptions { Mode = mode },
        };

        // When
        await harness.RunAsync(PipelineHarness.GzipObject("a.json.gz", json));

        // Then there is one warning per quarantined record, in order, with the object, its index, offset and kind
        Assert.Equal(3, harness.OutcomeOf("a.json.gz").Quarantined);
        var logs = logger.Collector.GetSnapshot();
        var warnings = logs.Where(l => l.Id.Id == 120).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.All(warnings, w => Assert.Equal("test://a.json.gz", w.GetStructuredStateValue("ObjectName")));
        Assert.Equal(["1", "3", "4"], warnings.Select(w => w.GetStructuredStateValue("RecordIndex")));
        Assert.Equal(
            new[] { json.IndexOf(text, StringComparison.Ordinal), json.IndexOf(array, StringComparison.Ordinal), json.IndexOf(big, StringComparison.Ordinal) }
                .Select(o => o.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            warnings.Select(w => w.GetStructuredStateValue("Offset")));
        Assert.Equal(["NotAnObject", "NotAnObject", "RecordTooLarge"], warnings.Select(w => w.GetStructuredStateValue("Kind")));
        Assert.All(warnings, w => Assert.StartsWith($"Quarantined record {w.GetStructuredStateValue("RecordIndex")} of test://a.json.gz at byte {w.GetStructuredStateValue("Offset")} (", w.Message, StringComparison.Ordinal));

        // And no log line of the run, in its message or its fields, holds any part of a record's contents
        Assert.NotEmpty(logs);
        Assert.All(logs, l => Assert.DoesNotContain(Secret, l.Message, StringComparison.Ordinal));
        Assert.All(logs, l => Assert.All(l.StructuredState ?? [], kv => Assert.DoesNotContain(Secret, kv.Value ?? string.Empty, StringComparison.Ordinal)));
    }
}
