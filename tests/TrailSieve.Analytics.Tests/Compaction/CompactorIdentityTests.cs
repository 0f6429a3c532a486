using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;
using TrailSieve.Analytics.Tests.TestSupport;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Compaction;

/// <summary>Compaction deduplicates by record identity, never by eventID alone.</summary>
public sealed class CompactorIdentityTests : IDisposable
{
    private const string Day = "AWSLogs/000000000000/CloudTrail/us-east-1/2023/04/26/";

    private const string Record =
        """{"eventVersion":"1.09","eventTime":"2023-04-26T14:50:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","eventID":"11111111-2222-3333-4444-555555555555","recipientAccountId":"000000000000"}""";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Input => _dir.Combine("in");

    private string Output => _dir.Combine("out");

    [Fact]
    public async Task Run_CorpusRecordsSharingAnEventIdWithDeleteSource_BothSurvive()
    {
        // Given the real corpus's two different records with one eventID (same eventTime, eventSource and eventName too)
        var records = SharedEventIds.Records();
        _dir.WriteRecords($"in/{Day}a.json.gz", records[0]);
        _dir.WriteRecords($"in/{Day}b.json.gz", records[1]);

        // When compacted with --delete-source
        var summary = await RunAsync(new CompactOptions { DeleteSource = true });

        // Then both are in the Parquet (their responseElements tell them apart), and the sources are gone
        Assert.Equal(0, summary.Failed);
        Assert.Equal(2, summary.Partitions[0].WrittenRecords);
        Assert.Empty(Directory.GetFiles(Input, "*.json.gz", SearchOption.AllDirectories));
        Assert.Equal((1L, 2L), Counts($"WHERE eventid = '{SharedEventIds.EventId}'"));
    }

    [Fact]
    public async Task Run_TrueDuplicateInTwoObjects_WrittenOnce()
    {
        // Given one record delivered in two objects, and another record
        var other = Record.Replace("11111111", "99999999", StringComparison.Ordinal);
        _dir.WriteRecords($"in/{Day}a.json.gz", Record, other);
        _dir.WriteRecords($"in/{Day}b.json.gz", Record);

        // When
        var summary = await RunAsync(new CompactOptions { DeleteSource = true });

        // Then the duplicate is written once
        Assert.Equal((3L, 2L), (summary.Partitions[0].SourceRecords, summary.Partitions[0].WrittenRecords));
        Assert.Equal((2L, 2L), Counts(string.Empty));
    }

    [Fact]
    public async Task Run_LateObjectRepeatingACompactedRecord_MergedWithTheEarlierParquet()
    {
        // Given a partition compacted with --delete-source, then a late object redelivering its record and the corpus pair
        _dir.WriteRecords($"in/{Day}a.json.gz", Record);
        await RunAsync(new CompactOptions { DeleteSource = true });
        var records = SharedEventIds.Records();
        _dir.WriteRecords($"in/{Day}late.json.gz", Record, records[0], records[1]);

        // When compacted again
        var summary = await RunAsync(new CompactOptions { DeleteSource = true });

        // Then the record read back from the Parquet equals its JSON copy (one row), and the pair stays two rows
        Assert.Equal(0, summary.Failed);
        Assert.Equal(3, summary.Partitions[0].WrittenRecords);
        Assert.Equal((2L, 3L), Counts(string.Empty));
    }

    [Fact]
    public async Task Run_SameRecordWithoutEventIdTwice_BothKept()
    {
        var noId = Record.Replace(",\"eventID\":\"11111111-2222-3333-4444-555555555555\"", string.Empty, StringComparison.Ordinal);
        _dir.WriteRecords($"in/{Day}a.json.gz", noId);
        _dir.WriteRecords($"in/{Day}b.json.gz", noId);

        var summary = await RunAsync(new CompactOptions());

        Assert.Equal(2, summary.Partitions[0].WrittenRecords);
    }

    private Task<CompactSummary> RunAsync(CompactOptions options) =>
        new Compactor(new LocalObjectStore(Input), new LocalObjectStore(Output), options with { SpoolDirectory = _dir.Combine("spool") }, new EngineOptions(), TextWriter.Null)
            .RunAsync(CancellationToken.None);

    /// <summary>(distinct eventIDs, rows) of the compacted output matching <paramref name="where"/>.</summary>
    private (long Ids, long Rows) Counts(string where)
    {
        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([Output]));
        return (engine.Scalar<long>($"SELECT count(DISTINCT eventid) FROM cloudtrail {where}"), engine.Scalar<long>($"SELECT count(*) FROM cloudtrail {where}"));
    }
}
