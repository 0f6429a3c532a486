using TrailSieve.Core.Analytics;
using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;

namespace TrailSieve.Core.Tests.Analytics;

public sealed class OcsfTableTests
{
    [Fact]
    public void CreateTablesSql_OneTablePerClass_OverItsSourceFolder()
    {
        // When the OCSF tables are made
        var sql = OcsfTable.CreateTablesSql("security.ts", "s3://lake/out", accounts: ["111122223333"], regions: ["eu-west-1"]);

        // Then there is one per class, each over its own Security Lake source
        Assert.Equal(3, sql.Split("CREATE EXTERNAL TABLE IF NOT EXISTS ").Length - 1);
        Assert.Contains("CREATE EXTERNAL TABLE IF NOT EXISTS security.ts_api_activity (", sql, StringComparison.Ordinal);
        Assert.Contains("CREATE EXTERNAL TABLE IF NOT EXISTS security.ts_authentication (", sql, StringComparison.Ordinal);
        Assert.Contains("CREATE EXTERNAL TABLE IF NOT EXISTS security.ts_account_change (", sql, StringComparison.Ordinal);
        Assert.Contains("LOCATION 's3://lake/out/ext/trailsieve-6003/'", sql, StringComparison.Ordinal);
        Assert.Contains("LOCATION 's3://lake/out/ext/trailsieve-3002/'", sql, StringComparison.Ordinal);
        Assert.Contains("LOCATION 's3://lake/out/ext/trailsieve-3001/'", sql, StringComparison.Ordinal);
        Assert.Contains("'projection.eventday.type'='date'", sql, StringComparison.Ordinal);
        Assert.Contains("'projection.accountid.values'='111122223333'", sql, StringComparison.Ordinal);
        Assert.Contains("ParquetHiveSerDe", sql, StringComparison.Ordinal);
        Assert.Contains("`metadata` struct<version string, product struct<name string, vendor_name string, version string", sql, StringComparison.Ordinal);
        Assert.Contains("`unmapped` map<string, string>", sql, StringComparison.Ordinal);
        Assert.Contains("`time` bigint", sql, StringComparison.Ordinal);

        // Every quote in it is a delimiter: 2 per comment, location and property
        foreach (var line in sql.Split('\n'))
        {
            Assert.True(line.Count(c => c == '\'') % 2 == 0, line);
        }
    }

    [Fact]
    public void ProjectionTemplate_IsWhereTheLayoutWritesKeys()
    {
        // Given the key of an Authentication object
        var layout = new SecurityLakeLayout("trailsieve", "2");
        var key = layout.Render("p/", new PartitionKey("111122223333", "eu-west-1", new DateOnly(2026, 3, 7), 3002), DateTimeOffset.UnixEpoch, "abc");

        // When the projection's template is filled with its partition
        var template = OcsfTable.ProjectionParameters("s3://lake/p/" + layout.SourcePrefix(3002), null, null)["storage.location.template"]
            .Replace("${region}", "eu-west-1", StringComparison.Ordinal)
            .Replace("${accountid}", "111122223333", StringComparison.Ordinal)
            .Replace("${eventday}", "20260307", StringComparison.Ordinal);

        // Then it is the object's folder
        Assert.Equal("s3://lake/" + key, template + "19700101T0000Z_abc.parquet");
        Assert.Equal("injected", OcsfTable.ProjectionParameters("s3://lake/", null, null)["projection.accountid.type"]);
    }

    [Fact]
    public void Columns_AreTheOcsfAttributesWritten()
    {
        Assert.Equal(
            ["activity_id", "activity_name", "category_uid", "category_name", "class_uid", "class_name", "type_uid", "type_name", "severity_id", "severity", "time",
             "status_id", "status", "status_code", "status_detail", "metadata", "actor", "api", "src_endpoint", "http_request", "cloud", "resources", "user", "policy",
             "service", "is_mfa", "raw_data", "unmapped"],
            OcsfTable.Columns.Select(c => c.Name));
    }

    [Fact]
    public void CloudTrailTable_OcsfFormat_PointsToTheOcsfTables()
    {
        var ex = Assert.Throws<ArgumentException>(() => CloudTrailTable.CreateTableSql("t", "s3://b/", TableFormat.Ocsf));
        Assert.Contains("OcsfTable", ex.Message, StringComparison.Ordinal);
    }
}
