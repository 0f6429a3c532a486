using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;
using TrailSieve.Analytics.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Compaction;

public sealed class CompactorTests : IDisposable
{
    private const string DayA = "account=111122223333/region=eu-west-1/year=2026/month=10/day=01/";
    private const string DayB = "AWSLogs/444455556666/CloudTrail/us-east-1/2026/10/02/";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Input => _dir.Combine("in");

    private string Output => _dir.Combine("out");

    [Fact]
    public async Task Run_TwoLayouts_OneParquetPerPartitionWithEveryRecord()
    {
        // Given three small objects in a hive partition and two in a CloudTrail-layout partition
        for (var i = 0; i < 3; i++)
        {
            _dir.WriteRecords($"in/{DayA}{i}.json.gz", TempDir.Record($"A{i}"), TempDir.Record($"A{i}b"));
        }

        _dir.WriteRecords($"in/{DayB}x.json.gz", TempDir.Record("B1", account: "444455556666", region: "us-east-1", eventTime: "2026-10-02T01:00:00Z"));
        _dir.WriteRecords($"in/{DayB}y.json.gz", TempDir.Record("B2", account: "444455556666", region: "us-east-1", eventTime: "2026-10-02T02:00:00Z"));

        // When
        var summary = await RunAsync(new CompactOptions());

        // Then
        Assert.Equal(0, summary.Failed);
        Assert.Equal([6L, 2L], summary.Partitions.Select(p => p.WrittenRecords));
        Assert.True(File.Exists(_dir.Combine("out", DayA, "compacted-g000001-0000.parquet")));
        Assert.True(File.Exists(_dir.Combine("out", "account=444455556666/region=us-east-1/year=2026/month=10/day=02/compacted-g000001-0000.parquet")));
        Assert.Equal("A0,A0b,A1,A1b,A2,A2b,B1,B2", Names(Output));
        Assert.Equal(5, Directory.GetFiles(Input, "*.json.gz", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Run_Twice_ReplacesNeverDuplicates()
    {
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("A"), TempDir.Record("B"));

        await RunAsync(new CompactOptions());
        var second = await RunAsync(new CompactOptions());

        Assert.Equal(1, second.Partitions[0].PreviousFiles);
        Assert.Equal(2, second.Partitions[0].WrittenRecords);
        Assert.Equal("compacted-g000002-0000.parquet", Path.GetFileName(Assert.Single(Directory.GetFiles(Output, "*.parquet", SearchOption.AllDirectories))));
        Assert.Equal("A,B", Names(Output));
    }

    [Fact]
    public async Task Run_OverFilesOfTheOlderNaming_MergesAndReplacesThem()
    {
        // Given a partition compacted by an earlier version (compacted-0000.parquet, generation 0)
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("A"));
        await RunAsync(new CompactOptions { DeleteSource = true });
        var current = Directory.GetFiles(_dir.Combine("out", DayA), "*.parquet").Single();
        File.Move(current, _dir.Combine("out", DayA, "compacted-0000.parquet"));
        _dir.WriteRecords($"in/{DayA}b.json.gz", TempDir.Record("B"));

        // When
        var summary = await RunAsync(new CompactOptions());

        // Then
        Assert.Equal(1, summary.Partitions[0].PreviousFiles);
        Assert.Equal(["compacted-g000001-0000.parquet"], Directory.GetFiles(_dir.Combine("out", DayA)).Select(Path.GetFileName));
        Assert.Equal("A,B", Names(Output));
    }

    [Fact]
    public async Task Run_EmptyRecordsArray_IsCloudTrailAndCompacts()
    {
        // {"Records":[]} yields no row, so it is read again to tell it from a file without the array: it passes
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("A"));
        _dir.WriteRecords($"in/{DayA}empty.json.gz");

        var summary = await RunAsync(new CompactOptions());

        Assert.Equal(0, summary.Failed);
        Assert.Equal(1, summary.Partitions[0].WrittenRecords);
    }

    [Fact]
    public async Task Run_AfterDeleteSource_NewObjectsMergeWithEarlierParquet()
    {
        // Given a partition compacted with --delete-source, then a late object for the same day
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("Early"));
        await RunAsync(new CompactOptions { DeleteSource = true });
        Assert.Empty(Directory.GetFiles(Input, "*.json.gz", SearchOption.AllDirectories));
        _dir.WriteRecords($"in/{DayA}b.json.gz", TempDir.Record("Late"));

        // When
        await RunAsync(new CompactOptions { DeleteSource = true });

        // Then the earlier records are kept
        Assert.Equal("Early,Late", Names(Output));
    }

    [Fact]
    public async Task Run_CorruptObject_FailsItsPartitionOnlyAndKeepsItsSources()
    {
        _dir.WriteRecords($"in/{DayA}good.json.gz", TempDir.Record("A"));
        var bad = _dir.WriteGzip($"in/{DayA}bad.json.gz", """{"Records":[{"eventName":""");
        _dir.WriteRecords($"in/{DayB}ok.json.gz", TempDir.Record("B", account: "444455556666"));
        using var progress = new StringWriter();

        var summary = await RunAsync(new CompactOptions { DeleteSource = true }, progress: progress);

        Assert.Equal(1, summary.Failed);
        var failed = Assert.Single(summary.Partitions, p => p.Failed);
        Assert.Equal("111122223333", failed.Partition.Account);
        Assert.Contains(bad, failed.Error, StringComparison.Ordinal);
        Assert.Contains("FAILED, sources kept", progress.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(bad));
        Assert.True(File.Exists(_dir.Combine("in", DayA, "good.json.gz")));
        Assert.False(Directory.Exists(_dir.Combine("out", DayA)));
        Assert.False(File.Exists(_dir.Combine("in", DayB, "ok.json.gz")));
    }

    [Fact]
    public async Task Run_NotCloudTrailJson_FailsNamingTheFile()
    {
        var other = _dir.WriteGzip($"in/{DayA}other.json.gz", """{"foo":1}""");

        var summary = await RunAsync(new CompactOptions());

        Assert.Equal($"{other}: not a CloudTrail file (no \"Records\" array)", Assert.Single(summary.Partitions).Error);
    }

    [Fact]
    public async Task Run_WindowAndAccounts_OnlyThosePartitions()
    {
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("A"));
        _dir.WriteRecords($"in/{DayB}b.json.gz", TempDir.Record("B", account: "444455556666"));
        _dir.WriteRecords("in/account=111122223333/region=eu-west-1/year=2026/month=10/day=03/c.json.gz", TempDir.Record("C"));
        _dir.WriteRecords("in/loose/d.json.gz", TempDir.Record("D"));

        var summary = await RunAsync(new CompactOptions
        {
            From = new DateOnly(2026, 10, 2), To = new DateOnly(2026, 10, 3), Accounts = new HashSet<string> { "111122223333" },
        });

        Assert.Equal("111122223333/eu-west-1/2026-10-03", Assert.Single(summary.Partitions).Partition.ToString());
        Assert.Equal(1, summary.OutsideLayout);
    }

    [Fact]
    public async Task Run_RemoteStores_SpoolsAndNamesRemoteObjectsInErrors()
    {
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("A"));
        _dir.WriteGzip($"in/{DayB}bad.json.gz", "not json");
        var input = new RemoteStore(Input);
        var output = new RemoteStore(Output);

        var summary = await new Compactor(input, output, new CompactOptions { SpoolDirectory = _dir.Combine("spool") }, new EngineOptions(), TextWriter.Null)
            .RunAsync(CancellationToken.None);

        Assert.Equal(2, input.Downloads);
        Assert.Contains(input.Root + DayB + "bad.json.gz", summary.Partitions.Single(p => p.Failed).Error, StringComparison.Ordinal);
        Assert.Equal("A", Names(Output));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Combine("spool")));
    }

    [Fact]
    public async Task Run_PartitionOverTheSpoolLimit_FailsNamingIt_AndTheOthersGoOn()
    {
        // Given a big partition and a small one, and a spool limit between them
        _dir.WriteRecords($"in/{DayA}big.json.gz", [.. Enumerable.Range(0, 200).Select(i => TempDir.Record($"Big{i}"))]);
        _dir.WriteRecords($"in/{DayB}small.json.gz", TempDir.Record("Small", account: "444455556666"));
        var limit = new FileInfo(_dir.Combine("in", DayB, "small.json.gz")).Length * 2;

        // When
        var summary = await new Compactor(new RemoteStore(Input), new LocalObjectStore(Output), new CompactOptions { SpoolDirectory = _dir.Combine("spool"), SpoolLimitBytes = limit }, new EngineOptions(), TextWriter.Null)
            .RunAsync(CancellationToken.None);

        // Then
        var failed = Assert.Single(summary.Partitions, p => p.Failed);
        Assert.StartsWith("partition 111122223333/eu-west-1/2026-10-01: 1 objects", failed.Error, StringComparison.Ordinal);
        Assert.Contains("--spool-limit", failed.Error, StringComparison.Ordinal);
        Assert.Equal("Small", Names(Output));
    }

    [Fact]
    public async Task Run_ObjectGoneSinceListing_FailsItsPartitionNamingIt()
    {
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("A"));
        _dir.WriteRecords($"in/{DayB}b.json.gz", TempDir.Record("B", account: "444455556666"));
        var input = new RemoteStore(Input) { DownloadFault = key => key.StartsWith(DayA, StringComparison.Ordinal) ? new StoreException($"cannot read s3://bucket/{key}: NoSuchKey: gone", StoreFailure.ObjectMissing, null) : null };

        var summary = await new Compactor(input, new LocalObjectStore(Output), new CompactOptions { SpoolDirectory = _dir.Combine("spool") }, new EngineOptions(), TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.Equal($"cannot read s3://bucket/{DayA}a.json.gz: NoSuchKey: gone", Assert.Single(summary.Partitions, p => p.Failed).Error);
        Assert.Equal("B", Names(Output));
    }

    [Fact]
    public async Task Run_StoreUnavailable_StopsTheRun()
    {
        _dir.WriteRecords($"in/{DayA}a.json.gz", TempDir.Record("A"));
        var input = new RemoteStore(Input) { DownloadFault = key => new StoreException($"cannot read s3://bucket/{key}: AccessDenied: denied", StoreFailure.Unavailable, null) };

        var error = await Assert.ThrowsAsync<StoreException>(() =>
            new Compactor(input, new LocalObjectStore(Output), new CompactOptions { SpoolDirectory = _dir.Combine("spool") }, new EngineOptions(), TextWriter.Null).RunAsync(CancellationToken.None));

        Assert.Contains("AccessDenied", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Combine("spool")));
    }

    [Theory]
    [InlineData("x/account=111122223333/region=eu-west-1/year=2026/month=02/day=28/a.json.gz", "111122223333/eu-west-1/2026-02-28")]
    [InlineData("AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/10/01/f.json.gz", "111122223333/us-east-1/2026-10-01")]
    [InlineData("account=111122223333/region=eu-west-1/year=2026/month=02/day=30/a.json.gz", null)]
    [InlineData("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/01/f.json.gz", null)]
    [InlineData("a.json.gz", null)]
    public void DayPartition_FromKey_BothLayouts(string key, string? expected)
    {
        Assert.Equal(expected, DayPartition.FromKey(key)?.ToString());
    }

    private Task<CompactSummary> RunAsync(CompactOptions options, TextWriter? progress = null) =>
        new Compactor(new LocalObjectStore(Input), new LocalObjectStore(Output), options with { SpoolDirectory = _dir.Combine("spool") }, new EngineOptions(), progress ?? TextWriter.Null)
            .RunAsync(CancellationToken.None);

    private static string? Names(string folder)
    {
        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([folder]));
        return engine.Scalar<string>("SELECT string_agg(eventname, ',' ORDER BY eventname) FROM cloudtrail");
    }
}
