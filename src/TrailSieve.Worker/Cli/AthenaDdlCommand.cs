using System.CommandLine;
using TrailSieve.Core.Analytics;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve athena-ddl</c>: prints the Athena table over the Hive layout (<see cref="CloudTrailTable"/>).</summary>
internal static class AthenaDdlCommand
{
    public static Command Create()
    {
        var location = new Option<string>("--location") { Description = "s3://bucket/prefix/ the hive layout (or compact's Parquet) is written under.", Required = true };
        var format = new Option<TableFormat>("--format")
        {
            Description = "json: the gzip {\"Records\":[...]} objects of --layout hive (CloudTrail SerDe); parquet: the files of 'trailsieve compact'; ocsf: the OCSF Parquet of --format ocsf (one table per class, named <table>_api_activity, <table>_authentication, <table>_account_change; --location is the output root holding ext/).",
            DefaultValueFactory = _ => TableFormat.Json,
        };
        var ocsfSource = new Option<string>("--ocsf-source")
        {
            Description = "--format ocsf: the source name the output was written with (Output:OcsfSourceName).",
            DefaultValueFactory = _ => "trailsieve",
        };
        var ocsfVersion = new Option<string>("--ocsf-source-version")
        {
            Description = "--format ocsf: the source version folder it was written with, if any (Output:OcsfSourceVersion).",
            DefaultValueFactory = _ => string.Empty,
        };
        var table = new Option<string>("--table") { Description = "Table name, optionally database.table.", DefaultValueFactory = _ => "cloudtrail" };
        var accounts = new Option<string[]>("--accounts")
        {
            Description = "Account ids to project (enum projection). Without it the account is injected: every query must name it.",
            AllowMultipleArgumentsPerToken = true,
        };
        var regions = new Option<string[]>("--regions") { Description = "Regions to project (default: every commercial, GovCloud and China region).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("athena-ddl", """
            Print the Athena CREATE EXTERNAL TABLE over the Hive-style batch layout
            (account=/region=/year=/month=/day=, written by 'filter --mode batch --layout hive' or 'run --layout hive'),
            with partition projection: Athena finds the partitions with no Glue crawler and no MSCK REPAIR TABLE.
            Columns are CloudTrail's, lower case. userIdentity, resources and tlsDetails are structs (fixed shape);
            requestParameters, responseElements, additionalEventData and serviceEventDetails are JSON strings (their
            shape differs per API; use json_extract_scalar). eventTime is a string: from_iso8601_timestamp(eventtime).
            Exit code 0, or 2 for a usage error.

            Examples:
              trailsieve athena-ddl --location s3://filtered-trail/cloudtrail/
              trailsieve athena-ddl --location s3://filtered-trail/compacted/ --format parquet --table security.cloudtrail_parquet
              trailsieve athena-ddl --location s3://security-lake-bucket/ --format ocsf --table security.trailsieve
              trailsieve athena-ddl --location s3://filtered-trail/cloudtrail/ --accounts 111122223333 444455556666 --regions eu-west-1 us-east-1
            """)
        {
            location, format, table, ocsfSource, ocsfVersion, accounts, regions,
        };
        command.SetAction(parse =>
        {
            try
            {
                parse.InvocationConfiguration.Output.Write(parse.GetValue(format) == TableFormat.Ocsf
                    ? OcsfTable.CreateTablesSql(
                        parse.GetValue(table)!,
                        parse.GetValue(location)!,
                        parse.GetValue(ocsfSource)!,
                        parse.GetValue(ocsfVersion)!,
                        parse.GetValue(accounts),
                        parse.GetValue(regions))
                    : CloudTrailTable.CreateTableSql(
                        parse.GetValue(table)!,
                        parse.GetValue(location)!,
                        parse.GetValue(format),
                        parse.GetValue(accounts),
                        parse.GetValue(regions)));
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"athena-ddl: {ex.Message}");
                return ExitCodes.UsageOrRules;
            }
        });
        return command;
    }
}
