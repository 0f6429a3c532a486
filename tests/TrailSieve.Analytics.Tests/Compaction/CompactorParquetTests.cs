using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Storage;
using TrailSieve.Analytics.Tests.TestSupport;
using TrailSieve.Core.Analytics;

namespace TrailSieve.Analytics.Tests.Compaction;

/// <summary>The Parquet compact writes, read back through DuckDB's parquet_metadata and parquet_schema.</summary>
public sealed class CompactorParquetTests : IDisposable
{
    private const string Day = "account=111122223333/region=eu-west-1/year=2026/month=10/day=01/";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_Parquet_EveryColumnChunkIsZstd()
    {
        _dir.WriteRecords($"in/{Day}a.json.gz", Records(100));

        await RunAsync(new CompactOptions());

        var file = Assert.Single(Parquet());
        Assert.Equal(["ZSTD"], Query($"SELECT DISTINCT compression FROM parquet_metadata({Sql.Literal(file)})"));
    }

    [Fact]
    public async Task Run_TargetSize_SplitsThePartitionIntoFilesOfAboutThatSize()
    {
        // Given a partition of 20,000 records, about 0.5 MB of Parquet (DuckDB cuts files at row groups, which it
        // cuts at 2,048-row chunks, so a test of small files needs a few of those)
        _dir.WriteRecords($"in/{Day}a.json.gz", Records(20_000));

        // When compacted with the default target and with a 60 KB one
        await RunAsync(new CompactOptions());
        var whole = Parquet();
        Directory.Delete(_dir.Combine("out"), recursive: true);
        var summary = await RunAsync(new CompactOptions { TargetFileBytes = 60_000 });
        var split = Parquet();

        // Then one file, then several holding the same records, none far past the target
        Assert.Single(whole);
        Assert.True(split.Count >= 3, $"expected several files, got {split.Count}: {string.Join(", ", split.Select(f => new FileInfo(f).Length))} bytes");
        Assert.Equal(split.Count, summary.Partitions[0].Files);
        Assert.Equal(["20000"], Query($"SELECT count(*) FROM read_parquet({Sql.List(split)})"));
        Assert.All(split, f => Assert.True(new FileInfo(f).Length < 3 * 60_000, $"{Path.GetFileName(f)}: {new FileInfo(f).Length} bytes"));
    }

    [Fact]
    public async Task Run_ParquetSchema_TheTablesColumnsWithTheirTypes()
    {
        _dir.WriteRecords($"in/{Day}a.json.gz", Records(10));

        await RunAsync(new CompactOptions());

        // Top-level columns: the table's, in its order (parquet_schema lists the tree depth first)
        var file = Assert.Single(Parquet());
        var schema = Schema(file);
        Assert.Equal(CloudTrailTable.Columns.Select(c => c.Name), schema.Children.Select(c => c.Name));
        // Strings are UTF-8 byte arrays; the fixed-shape objects are groups with CloudTrail's field names
        Assert.All(schema.Children.Where(c => CloudTrailTable.Columns.Single(t => t.Name == c.Name).HiveType == "string"), c => Assert.Equal(("BYTE_ARRAY", "UTF8"), (c.Type, c.Converted)));
        var identity = schema.Children.Single(c => c.Name == "useridentity");
        Assert.Equal(["type", "principalId", "arn", "accountId", "invokedBy", "accessKeyId", "userName", "onBehalfOf", "sessionContext"], identity.Children.Select(c => c.Name));
        Assert.Equal(["attributes", "sessionIssuer", "sourceIdentity", "ec2RoleDelivery"], identity.Children.Single(c => c.Name == "sessionContext").Children.Select(c => c.Name));
        Assert.Equal("LIST", schema.Children.Single(c => c.Name == "resources").Converted);
        Assert.Equal(["tlsVersion", "cipherSuite", "clientProvidedHostHeader"], schema.Children.Single(c => c.Name == "tlsdetails").Children.Select(c => c.Name));
        // And DuckDB reads them back as exactly the view's types
        Assert.Equal(
            CloudTrailTable.Columns.Select(c => $"{c.Name} {CloudTrailSchema.DuckDbType(c)}".Replace("\"", string.Empty, StringComparison.Ordinal)),
            Query($"SELECT column_name || ' ' || replace(column_type, '\"', '') FROM (DESCRIBE SELECT * FROM read_parquet({Sql.Literal(file)}, hive_partitioning = false))"));
    }

    private Task<CompactSummary> RunAsync(CompactOptions options) =>
        new Compactor(new LocalObjectStore(_dir.Combine("in")), new LocalObjectStore(_dir.Combine("out")), options with { SpoolDirectory = _dir.Combine("spool") }, new EngineOptions(), TextWriter.Null)
            .RunAsync(CancellationToken.None);

    private List<string> Parquet() => [.. Directory.GetFiles(_dir.Combine("out"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static List<string> Query(string sql)
    {
        using var engine = new AnalyticsEngine();
        using var reader = engine.Query(sql);
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(ResultWriter.Text(reader.GetValue(0)));
        }

        return rows;
    }

    /// <summary>The schema tree of a Parquet file from parquet_schema's depth-first rows and their child counts.</summary>
    private static Node Schema(string file)
    {
        using var engine = new AnalyticsEngine();
        using var reader = engine.Query($"SELECT name, type, converted_type, COALESCE(num_children, 0) FROM parquet_schema({Sql.Literal(file)})");
        var rows = new List<(string Name, string Type, string Converted, long Children)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? string.Empty : reader.GetString(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2), reader.GetInt64(3)));
        }

        var at = 0;
        return Read();

        Node Read()
        {
            var (name, type, converted, children) = rows[at++];
            var node = new Node(name, type, converted, []);
            for (var i = 0; i < children; i++)
            {
                node.Children.Add(Read());
            }

            // A LIST is list -> element -> fields: keep the element's fields as the list's children.
            return converted == "LIST" ? node with { Children = node.Children[0].Children[0].Children } : node;
        }
    }

    private static string[] Records(int count) => [.. Enumerable.Range(0, count).Select(i => TempDir.Record("Event" + i, eventTime: $"2026-10-01T{i % 24:D2}:{i % 60:D2}:00Z"))];

    private sealed record Node(string Name, string Type, string Converted, List<Node> Children);
}
