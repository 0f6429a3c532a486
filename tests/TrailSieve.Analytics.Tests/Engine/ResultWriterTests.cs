using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Tests.Engine;

public sealed class ResultWriterTests
{
    private const string Query = """
        SELECT * FROM (VALUES ('ec2', 12, TIMESTAMP '2026-10-01 12:00:00', 'a,"b"'), ('iam', 3, NULL, {'k': [1, 2]}::VARCHAR))
        AS t(service, n, seen, note) ORDER BY n DESC
        """;

    [Fact]
    public void Write_Table_AlignedWithNumbersRight()
    {
        var text = Run(ResultFormat.Table);

        Assert.Equal(
            """
            service | n  | seen                | note
            --------+----+---------------------+--------------
            ec2     | 12 | 2026-10-01 12:00:00 | a,"b"
            iam     |  3 |                     | {'k': [1, 2]}
            (2 rows)

            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Write_Csv_QuotesWhereNeeded()
    {
        Assert.Equal("service,n,seen,note\nec2,12,2026-10-01 12:00:00,\"a,\"\"b\"\"\"\niam,3,,\"{'k': [1, 2]}\"\n", Run(ResultFormat.Csv).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Write_Json_OneTypedObjectPerLine()
    {
        Assert.Equal(
            "{\"service\":\"ec2\",\"n\":12,\"seen\":\"2026-10-01 12:00:00\",\"note\":\"a,\\\"b\\\"\"}\n{\"service\":\"iam\",\"n\":3,\"seen\":null,\"note\":\"{'k': [1, 2]}\"}\n",
            Run(ResultFormat.Json).ReplaceLineEndings("\n"));
    }

    private static string Run(ResultFormat format)
    {
        using var engine = new AnalyticsEngine();
        using var reader = engine.Query(Query);
        using var output = new StringWriter();
        ResultWriter.Write(reader, format, output);
        return output.ToString();
    }
}
