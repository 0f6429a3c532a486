using System.IO.Compression;
using System.Text.Json;
using DuckDB.NET.Data;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Tests.TestSupport;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Engine;

public sealed class AnalyticsEngineTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UseData_ShippedSamples_OneRowPerRecord()
    {
        // Given the shipped samples, counted independently of the engine
        var samples = Path.Combine(RepoPaths.Root, "samples");
        var expected = Directory.GetFiles(samples, "*.json.gz", SearchOption.AllDirectories).Sum(CountRecords);

        // When
        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([samples]));

        // Then
        Assert.Equal(expected, engine.Scalar<long>("SELECT count(*) FROM cloudtrail"));
        Assert.Equal(expected, engine.Scalar<long>("SELECT count(eventtime) FROM cloudtrail"));
        Assert.Equal(0, engine.Scalar<long>("SELECT count(*) FROM cloudtrail WHERE account IS NULL OR region IS NULL OR day IS NULL"));
    }

    [Fact]
    public void UseData_HiveAndFlatLayouts_PartitionsFromPathElseFromRecord()
    {
        // Given one file in the hive layout whose path disagrees with its record, and one in no layout
        _dir.WriteRecords("account=999999999999/region=us-east-1/year=2025/month=02/day=03/a.json.gz", TempDir.Record("A"));
        _dir.WriteRecords("flat/b.json.gz", TempDir.Record("B", eventTime: "2026-10-05T01:02:03Z"));

        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([_dir.Path]));

        // Then the hive path wins where it exists; the record gives the rest
        Assert.Equal("999999999999/us-east-1/2025/02/03", engine.Scalar<string>("SELECT concat_ws('/', account, region, year, month, day) FROM cloudtrail WHERE eventname = 'A'"));
        Assert.Equal("111122223333/eu-west-1/2026/10/05", engine.Scalar<string>("SELECT concat_ws('/', account, region, year, month, day) FROM cloudtrail WHERE eventname = 'B'"));
        Assert.Equal("alice", engine.Scalar<string>("SELECT principal FROM cloudtrail WHERE eventname = 'B'"));
        Assert.Equal("true", engine.Scalar<string>("SELECT readonly FROM cloudtrail WHERE eventname = 'B'"));
        Assert.Equal(1L, engine.Scalar<long>("SELECT CAST(requestparameters ->> 'n' AS BIGINT) FROM cloudtrail WHERE eventname = 'B'"));
        Assert.Equal(new DateTime(2026, 10, 5, 1, 2, 3), engine.Scalar<DateTime>("SELECT eventtime FROM cloudtrail WHERE eventname = 'B'"));
    }

    [Fact]
    public void UseData_OddShapes_BecomeNullNotFailures()
    {
        // Given real-log oddities: resources as a string, userIdentity missing, a concatenated-gzip file
        var odd = """{"eventTime":"2026-01-01T00:00:00Z","eventName":"Odd","resources":"not-a-list","userIdentity":"x","readOnly":false}""";
        var path = _dir.WriteRecords("odd.json.gz", odd);
        File.AppendAllBytes(path, Gzip("""{"Records":[]}"""));

        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([_dir.Path]));

        Assert.Equal(1L, engine.Scalar<long>("SELECT count(*) FROM cloudtrail WHERE resources IS NULL AND useridentity_type IS NULL AND principal IS NULL AND readonly = 'false'"));
    }

    [Fact]
    public void Query_CorruptFile_ErrorNamesTheFile()
    {
        _dir.WriteRecords("good.json.gz", TempDir.Record("A"));
        var bad = _dir.WriteGzip("bad.json.gz", """{"Records":[{"eventName":""");

        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([_dir.Path]));

        var error = Assert.Throws<DuckDBException>(() => engine.Scalar<long>("SELECT count(*) FROM cloudtrail"));
        Assert.Contains(bad, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseData_PathWithQuote_IsQuotedNotInjected()
    {
        _dir.WriteRecords("it's'); DROP TABLE x; --.json.gz", TempDir.Record("Quoted"));

        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([_dir.Path]));

        Assert.Equal("Quoted", engine.Scalar<string>("SELECT eventname FROM cloudtrail"));
    }

    [Fact]
    public void UseData_JsonAndParquetMixed_ReadAsOneView()
    {
        // Given a JSON file, and a Parquet file written from the records view of another
        _dir.WriteRecords("json/a.json.gz", TempDir.Record("FromJson"));
        var other = _dir.WriteRecords("src/b.json.gz", TempDir.Record("FromParquet"));
        var parquet = _dir.Combine("pq", "account=111122223333", "region=eu-west-1", "year=2026", "month=10", "day=01", "part.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(parquet)!);
        using (var writer = new AnalyticsEngine())
        {
            writer.UseData(DataFiles.Find([other]));
            writer.Execute($"COPY (SELECT * EXCLUDE (file) FROM {CloudTrailView.RecordsView}) TO {Sql.Literal(parquet)} (FORMAT parquet)");
        }

        // When
        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([_dir.Combine("json"), _dir.Combine("pq")]));

        // Then
        Assert.Equal("FromJson,FromParquet", engine.Scalar<string>("SELECT string_agg(eventname, ',' ORDER BY eventname) FROM cloudtrail"));
        Assert.Equal("alice", engine.Scalar<string>("SELECT useridentity_username FROM cloudtrail WHERE eventname = 'FromParquet'"));
    }

    [Fact]
    public void UseData_NoFiles_EmptyViewWithColumns()
    {
        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Empty);

        Assert.Equal(0L, engine.Scalar<long>("SELECT count(*) FROM cloudtrail WHERE eventname = 'x' AND account = 'y'"));
    }

    [Fact]
    public void Find_SkipsDigestsAndOtherFiles()
    {
        _dir.WriteRecords("a.json.gz", TempDir.Record("A"));
        _dir.WriteGzip("111122223333_CloudTrail-Digest_eu-west-1_x.json.gz", "{}");
        File.WriteAllText(_dir.Combine("notes.txt"), "x");

        var files = DataFiles.Find([_dir.Path]);

        Assert.Equal([_dir.Combine("a.json.gz")], files.Json);
        Assert.Empty(files.Parquet);
        Assert.Throws<FileNotFoundException>(() => DataFiles.Find([_dir.Combine("missing")]));
    }

    private static long CountRecords(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        return document.RootElement.GetProperty("Records").GetArrayLength();
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
