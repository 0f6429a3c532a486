using TrailSieve.Core.Analytics;
using TrailSieve.Core.Batching;

namespace TrailSieve.Core.Tests.Analytics;

public sealed class CloudTrailTableTests
{
    [Fact]
    public void Projection_template_matches_the_keys_the_hive_template_writes()
    {
        var parameters = CloudTrailTable.ProjectionParameters("s3://out/trail", ["111122223333"], ["eu-west-1"], 2020, 2030);
        var key = new KeyTemplate(CloudTrailTable.HiveKeyTemplate).Render(
            "trail/", new PartitionKey("111122223333", "eu-west-1", new DateOnly(2026, 3, 7)), DateTimeOffset.UnixEpoch, "abc");

        var location = parameters["storage.location.template"]
            .Replace("${account}", "111122223333", StringComparison.Ordinal)
            .Replace("${region}", "eu-west-1", StringComparison.Ordinal)
            .Replace("${year}", "2026", StringComparison.Ordinal)
            .Replace("${month}", "03", StringComparison.Ordinal)
            .Replace("${day}", "07", StringComparison.Ordinal);

        Assert.Equal("s3://out/" + key, location + "abc.json.gz");
        Assert.Equal("enum", parameters["projection.account.type"]);
        Assert.Equal("2", parameters["projection.month.digits"]);
        Assert.Equal("2020,2030", parameters["projection.year.range"]);
    }

    [Fact]
    public void Without_accounts_the_account_partition_is_injected_and_all_regions_are_projected()
    {
        var parameters = CloudTrailTable.ProjectionParameters("s3://out/", null, null, 2013, 2035);

        Assert.Equal("injected", parameters["projection.account.type"]);
        Assert.False(parameters.ContainsKey("projection.account.values"));
        Assert.Contains("us-east-1", parameters["projection.region.values"].Split(','));
        Assert.Equal(CloudTrailTable.DefaultRegions.Count, parameters["projection.region.values"].Split(',').Length);
    }

    [Theory]
    [InlineData(TableFormat.Json, "com.amazon.emr.hive.serde.CloudTrailSerde")]
    [InlineData(TableFormat.Parquet, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")]
    public void Create_table_sql_names_every_column_partition_and_projection(TableFormat format, string serde)
    {
        var sql = CloudTrailTable.CreateTableSql("cloudtrail", "s3://out/trail/", format);

        foreach (var column in CloudTrailTable.Columns.Concat(CloudTrailTable.PartitionColumns))
        {
            Assert.Contains("`" + column.Name + "`", sql, StringComparison.Ordinal);
        }

        Assert.Contains(serde, sql, StringComparison.Ordinal);
        Assert.Contains("LOCATION 's3://out/trail/'", sql, StringComparison.Ordinal);
        Assert.Contains("'projection.enabled'='true'", sql, StringComparison.Ordinal);
        Assert.Contains("struct<type string, principalid string", sql, StringComparison.Ordinal);
        Assert.EndsWith(");\n", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("out/trail")]
    [InlineData("s3://")]
    [InlineData("https://bucket/x")]
    [InlineData("s3://b/x'--")]
    public void A_location_that_is_not_s3_is_rejected(string location)
    {
        Assert.Throws<ArgumentException>(() => CloudTrailTable.ProjectionParameters(location, null, null, 2013, 2035));
    }

    [Theory]
    [InlineData("cloudtrail; DROP TABLE x", null, null)]
    [InlineData("db.t.x", null, null)]
    [InlineData("1table", null, null)]
    [InlineData("cloudtrail", "12345678901'", null)]
    [InlineData("cloudtrail", "1234", null)]
    [InlineData("cloudtrail", null, "eu-west-1','x")]
    public void Names_and_values_that_could_break_out_of_the_sql_are_rejected(string table, string? account, string? region)
    {
        Assert.Throws<ArgumentException>(() => CloudTrailTable.CreateTableSql(
            table, "s3://b/p/", TableFormat.Json, account is null ? null : [account], region is null ? null : [region]));
    }

    [Fact]
    public void A_database_qualified_name_and_valid_values_are_accepted()
    {
        var sql = CloudTrailTable.CreateTableSql("security.cloudtrail_v2", "s3://b/p", TableFormat.Parquet, ["111122223333"], ["eu-west-1"]);

        Assert.StartsWith("CREATE EXTERNAL TABLE IF NOT EXISTS security.cloudtrail_v2 (", sql, StringComparison.Ordinal);
        Assert.Contains("'projection.account.values'='111122223333'", sql, StringComparison.Ordinal);
    }
}
