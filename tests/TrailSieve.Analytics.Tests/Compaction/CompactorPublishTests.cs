using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;
using TrailSieve.Analytics.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Compaction;

/// <summary>Publishing a partition's Parquet: a crash at any point leaves every record readable.</summary>
public sealed class CompactorPublishTests : IDisposable
{
    private const string Day = "account=111122223333/region=eu-west-1/year=2026/month=10/day=01/";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Input => _dir.Combine("in");

    private string Output => _dir.Combine("out");

    [Fact]
    public async Task Run_CrashBeforeTheOldGenerationIsDeleted_BothVisibleNothingLost_NextRunLeavesOne()
    {
        // Given a compacted partition, and a late object for the same day
        _dir.WriteRecords($"in/{Day}a.json.gz", Records("Early", 50));
        await RunAsync(new LocalObjectStore(Output));
        _dir.WriteRecords($"in/{Day}b.json.gz", Records("Late", 50));

        // When the next run dies after uploading the new generation, before it deletes the old one
        var crashing = new RemoteStore(Output) { DeleteFault = _ => new IOException("killed") };
        var crashed = await RunAsync(crashing);

        // Then a reader sees both generations: every record, some twice (dedup on eventID removes them)
        Assert.Equal(1, crashed.Failed);
        Assert.Equal(["compacted-g000001-0000.parquet", "compacted-g000002-0000.parquet"], Files());
        Assert.Equal((100L, 150L), Counts());

        // And the next run merges both generations into one
        var rerun = await RunAsync(new LocalObjectStore(Output));
        Assert.Equal(2, rerun.Partitions[0].PreviousFiles);
        Assert.Equal(["compacted-g000003-0000.parquet"], Files());
        Assert.Equal((100L, 100L), Counts());
    }

    [Fact]
    public async Task Run_CrashWhileUploadingTheNewGeneration_TheOldSetIsStillWhole()
    {
        // Given a partition compacted into several files (a small target size)
        _dir.WriteRecords($"in/{Day}a.json.gz", Records("Early", 3000));
        var options = new CompactOptions { TargetFileBytes = 60_000 };
        await RunAsync(new LocalObjectStore(Output), options);
        var first = Files();
        Assert.True(first.Count >= 2, $"expected several files, got {first.Count}");
        _dir.WriteRecords($"in/{Day}b.json.gz", Records("Late", 10));

        // When the next run dies after its first new file is in place
        var uploads = 0;
        var crashing = new RemoteStore(Output) { UploadFault = _ => ++uploads > 1 ? new IOException("killed") : null };
        await RunAsync(crashing, options);

        // Then the old generation is all there (the earlier names were never overwritten), beside one new file
        Assert.Equal([.. first, "compacted-g000002-0000.parquet"], Files());
        var (distinct, _) = Counts();
        Assert.True(distinct >= 3000, $"only {distinct} distinct records visible: the crash lost some");
    }

    private Task<CompactSummary> RunAsync(IObjectStore output, CompactOptions? options = null) =>
        new Compactor(new LocalObjectStore(Input), output, (options ?? new CompactOptions()) with { SpoolDirectory = _dir.Combine("spool") }, new EngineOptions(), TextWriter.Null)
            .RunAsync(CancellationToken.None);

    private List<string> Files() => [.. Directory.GetFiles(_dir.Combine("out", Day)).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    /// <summary>(distinct eventIDs, rows) a reader of the output folder sees.</summary>
    private (long Distinct, long Rows) Counts()
    {
        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([Output]));
        return (engine.Scalar<long>("SELECT count(DISTINCT eventid) FROM cloudtrail"), engine.Scalar<long>("SELECT count(*) FROM cloudtrail"));
    }

    private static string[] Records(string name, int count) => [.. Enumerable.Range(0, count).Select(i => TempDir.Record(name + i, eventTime: $"2026-10-01T{i % 24:D2}:{i % 60:D2}:00Z"))];
}
