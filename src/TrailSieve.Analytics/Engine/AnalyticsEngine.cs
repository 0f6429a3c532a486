using System.Data.Common;
using DuckDB.NET.Data;

namespace TrailSieve.Analytics.Engine;

/// <summary>
/// An in-memory DuckDB database with TrailSieve's settings: bounded memory (spilling to disk beyond it), no insertion
/// order to preserve (so COPY streams), UTC, and the <c>cloudtrail</c> view over a set of data files.
/// </summary>
public sealed class AnalyticsEngine : IDisposable
{
    /// <summary>The view queries read: one row per record (see <see cref="UseData"/>).</summary>
    public const string ViewName = CloudTrailView.ViewName;

    private readonly DuckDBConnection _connection;
    private readonly string? _ownedTemp;

    public AnalyticsEngine(EngineOptions? options = null)
    {
        options ??= new EngineOptions();
        _connection = new DuckDBConnection("DataSource=:memory:");
        _connection.Open();
        // A folder of its own unless one is given: two engines (two processes, or parallel tests) must not share spill files.
        _ownedTemp = options.TempDirectory is null ? Path.Combine(Path.GetTempPath(), "trailsieve-duckdb-" + Guid.NewGuid().ToString("N")) : null;
        var temp = options.TempDirectory ?? _ownedTemp!;
        Directory.CreateDirectory(temp); // DuckDB creates only the last level, and only when it first spills
        Execute($"SET memory_limit = '{Sql.Number(Math.Max(options.MemoryLimitBytes / (1024 * 1024), 64))}MiB'");
        Execute($"SET threads = {Sql.Number(Math.Max(options.Threads, 1))}");
        Execute($"SET temp_directory = {Sql.Literal(temp)}");
        Execute("SET preserve_insertion_order = false");
        Execute("SET TimeZone = 'UTC'");
        Execute("SET enable_progress_bar = false");
    }

    /// <summary>Creates (or replaces) the <c>cloudtrail</c> view over <paramref name="files"/>.</summary>
    public void UseData(DataFiles files)
    {
        foreach (var statement in CloudTrailView.CreateStatements(files))
        {
            Execute(statement);
        }
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a query; the caller disposes the reader before the next command.</summary>
    public DbDataReader Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteReader();
    }

    /// <summary>Runs a query returning one value.</summary>
    public T? Scalar<T>(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _connection.Dispose();
        if (_ownedTemp is not null && Directory.Exists(_ownedTemp))
        {
            Directory.Delete(_ownedTemp, recursive: true);
        }
    }
}
