using System.CommandLine;
using System.Globalization;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Worker.Cli;

/// <summary>Options the analytics commands share.</summary>
internal static class AnalyticsOptions
{
    public const string ViewColumns = """
        Columns: eventtime (TIMESTAMP, UTC), eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode,
        errormessage, requestparameters / responseelements / additionaleventdata / serviceeventdetails (JSON),
        useridentity (struct) and flattened useridentity_type, _principalid, _arn, _accountid, _username, _invokedby,
        _accesskeyid, _sessionissuer_username, _sessionissuer_arn, _mfaauthenticated; principal (user name, else role
        name, else invoking service, else identity type), recipientaccountid, readonly ('true'/'false'), eventid,
        eventtype, resources, tlsdetails, ...; partition columns account, region, year, month, day (from an
        account=/region=/year=/month=/day= path, else from the record) and file (the source file).
        """;

    public static Option<string[]> Data() => new("--data", "-d")
    {
        Description = "Folders (searched recursively) or files of TrailSieve output: *.json.gz, *.json, *.parquet. Repeatable.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<ResultFormat> Format() => new("--format", "-f")
    {
        Description = "table (aligned, for a terminal), csv, or json (JSON Lines, one object per row).",
        DefaultValueFactory = _ => ResultFormat.Table,
    };

    public static Option<long> MemoryLimit() => new("--memory-limit")
    {
        Description = "Engine memory limit in bytes; larger intermediate results spill to the temporary folder.",
        DefaultValueFactory = _ => new EngineOptions().MemoryLimitBytes,
    };

    /// <summary>The data files under the given paths, or null (reported) when a path does not exist.</summary>
    public static DataFiles? TryFindData(string[] paths, TextWriter error)
    {
        try
        {
            var files = DataFiles.Find(paths);
            if (files.Count == 0)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no *.json.gz, *.json or *.parquet files under {string.Join(", ", paths)}"));
            }

            return files;
        }
        catch (FileNotFoundException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
    }
}
