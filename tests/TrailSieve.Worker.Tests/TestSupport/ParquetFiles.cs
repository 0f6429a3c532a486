using System.Globalization;
using DuckDB.NET.Data;

namespace TrailSieve.Worker.Tests.TestSupport;

/// <summary>Reads Parquet files back with DuckDB (an independent reader), for tests of what the OCSF output wrote.</summary>
internal static class ParquetFiles
{
    /// <summary>The rows of a query over <paramref name="file"/> (named <c>f</c> in <paramref name="sql"/> as <c>{f}</c>), each column as text.</summary>
    public static List<string?[]> Query(string file, string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{f}", "'" + file.Replace("'", "''", StringComparison.Ordinal) + "'", StringComparison.Ordinal);
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The one value of a query that returns one row of one column.</summary>
    public static string? Scalar(string file, string sql) => Assert.Single(Assert.Single(Query(file, sql)));
}
