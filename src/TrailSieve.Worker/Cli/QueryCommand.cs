using System.CommandLine;
using DuckDB.NET.Data;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve query</c>: SQL over local output through the <c>cloudtrail</c> view.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var sql = new Argument<string>("SQL") { Description = "The query; read the 'cloudtrail' view (one row per record)." };
        var data = AnalyticsOptions.Data();
        var format = AnalyticsOptions.Format();
        var memory = AnalyticsOptions.MemoryLimit();
        var command = new Command("query", $"""
            Run SQL (DuckDB dialect) over local TrailSieve output: gzip {"{"}"Records":[...]{"}"} files (mirror or batch, any
            layout) and compacted Parquet, mixed, through the view 'cloudtrail' with one row per record.
            {AnalyticsOptions.ViewColumns}
            Exit code 0, 1 when the query or a data file fails (the message names the file), 2 for a usage error.

            Examples:
              trailsieve query "SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY 1 ORDER BY n DESC LIMIT 10" --data out/
              trailsieve query "SELECT eventtime, principal, sourceipaddress FROM cloudtrail WHERE errorcode = 'AccessDenied'" --data out/ --format csv
              trailsieve query "SELECT account, region, count(*) FROM cloudtrail GROUP BY ALL" --data out/ --data compacted/ --format json
            """)
        {
            sql, data, format, memory,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (AnalyticsOptions.TryFindData(parse.GetValue(data)!, error) is not { } files)
            {
                return ExitCodes.UsageOrRules;
            }

            return Run(files, parse.GetValue(sql)!, parse.GetValue(format), parse.GetValue(memory), parse.InvocationConfiguration.Output, error);
        });
        return command;
    }

    /// <summary>Runs <paramref name="sql"/> over <paramref name="files"/> and prints the result.</summary>
    public static int Run(DataFiles files, string sql, ResultFormat format, long memoryLimit, TextWriter output, TextWriter error)
    {
        try
        {
            using var engine = new AnalyticsEngine(new EngineOptions { MemoryLimitBytes = memoryLimit });
            engine.UseData(files);
            using var reader = engine.Query(sql);
            ResultWriter.Write(reader, format, output);
            return ExitCodes.Success;
        }
        catch (DuckDBException ex)
        {
            error.WriteLine($"query failed: {ex.Message}");
            return ExitCodes.InputFailed;
        }
    }
}
