using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.Cli;

/// <summary>Backfill's final summary: the pipeline's counts, and what the key filter skipped.</summary>
public sealed class BackfillSummaryTests
{
    [Fact]
    public void Write_Process_CountsQuarantinedAndDeduplicatedRecords()
    {
        // Given one object done whose outcome quarantined 2 records and did not write 3 duplicates
        var (request, configured, progress, counters) = Run(SourceGuard.None);
        counters.AddObject(new ObjectOutcome(Source("a.json.gz"), ObjectStatus.Succeeded, 10, 8, 2, 100, 1000, TimeSpan.Zero, Quarantined: 2, Deduplicated: 3));
        using var output = new StringWriter();

        // When
        new BackfillSummary(request, configured, progress, counters, BackfillCheckpoint.None("s3://trail/AWSLogs/", "s3://out/ batch")).Write(output, sent: 0);

        // Then
        Assert.Contains("files 1 (failed 0, skipped 0), records 10, kept 8, dropped 2, quarantined 2, deduplicated 3, filter rate", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("key filter", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_KeyFilterSkippedObjects_ALineWithTheFilterAndWhatItSkipped()
    {
        var options = new SqsOptions();
        options.ExcludeKeys.Add("AWSLogs/o-1/111122223333/");
        var (request, configured, progress, counters) = Run(SourceGuard.From(options));
        progress.Excluded(1_500_000);
        progress.Excluded(500_000);
        using var output = new StringWriter();

        new BackfillSummary(request, configured, progress, counters, BackfillCheckpoint.None("s3://trail/AWSLogs/", "s3://out/ batch")).Write(output, sent: 0);

        Assert.StartsWith(
            "skipped by the key filter (keys exclude [AWSLogs/o-1/111122223333/]): 2 objects (2.0 MB), not downloaded" + Environment.NewLine,
            output.ToString(),
            StringComparison.Ordinal);
    }

    private static (BackfillRequest, BackfillConfiguration, BackfillProgress, PipelineCounters) Run(SourceGuard keys) => (
        new BackfillRequest { Settings = new BackfillSettings { Bucket = "trail", Keys = keys }, Action = BackfillAction.Process },
        new BackfillConfiguration(new OutputOptions(), new PipelineOptions(), new RulesOptions(), new DetectionsOptions(), new BackfillOptions()),
        new BackfillProgress(TimeProvider.System),
        new PipelineCounters());

    private static SourceObject Source(string key) => new() { Name = "s3://trail/" + key, Key = key, OutputKey = key, OpenAsync = _ => Task.FromResult(Stream.Null) };
}
