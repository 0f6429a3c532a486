using System.Text.RegularExpressions;
using TrailSieve.Analytics.Engine;
using TrailSieve.Core.Analytics;

namespace TrailSieve.Analytics.Tests.Engine;

public sealed partial class CloudTrailSchemaTests
{
    [Fact]
    public void DuckDbType_EveryColumn_SameShapeAsTheHiveType()
    {
        // The Parquet that compact writes must be what athena-ddl --format parquet declares.
        foreach (var column in CloudTrailTable.Columns)
        {
            Assert.Equal(Normalise(column.HiveType), Normalise(CloudTrailSchema.DuckDbType(column)));
        }
    }

    [Fact]
    public void Sql_Literal_DoublesQuotesAndRefusesNul()
    {
        Assert.Equal("'it''s'", Sql.Literal("it's"));
        Assert.Equal("\"a\"\"b\"", Sql.Identifier("a\"b"));
        Assert.Throws<ArgumentException>(() => Sql.Literal("a\0b"));
    }

    // Hive: struct<a:string,b:array<struct<...>>>; DuckDB: STRUCT("a" VARCHAR, b STRUCT(...)[]). Both to one spelling.
    private static string Normalise(string type)
    {
        var t = type.ToLowerInvariant().Replace("\"", string.Empty, StringComparison.Ordinal).Replace("varchar", "string", StringComparison.Ordinal);
        t = ArrayOf().Replace(t, "$1[]");
        t = t.Replace("struct(", "struct<", StringComparison.Ordinal).Replace(')', '>').Replace(" ", ":", StringComparison.Ordinal).Replace(",:", ",", StringComparison.Ordinal);
        return t;
    }

    [GeneratedRegex(@"array<(struct<.*>)>$")]
    private static partial Regex ArrayOf();
}
