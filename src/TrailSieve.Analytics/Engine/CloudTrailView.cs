using System.Text;
using TrailSieve.Core.Analytics;

namespace TrailSieve.Analytics.Engine;

/// <summary>
/// The SQL of the <c>cloudtrail</c> view: one row per record over a mix of CloudTrail JSON and Parquet files, with the
/// table's columns, <c>eventtime</c> as a TIMESTAMP, flattened <c>userIdentity</c> fields, a <c>principal</c>, the
/// partition columns and the source <c>file</c>.
/// </summary>
/// <remarks>
/// Partition columns come from a Hive path (<c>account=/region=/year=/month=/day=</c>) when the file has one, and are
/// derived from the record otherwise (recipientAccountId, awsRegion, eventTime), so mirror and CloudTrail-layout
/// output group the same way.
/// </remarks>
internal static class CloudTrailView
{
    /// <summary>Name of the view of records (the table's columns, eventtime as text, plus <c>file</c>).</summary>
    public const string RecordsView = "cloudtrail_records";

    /// <summary>Name of the view queries use.</summary>
    public const string ViewName = "cloudtrail";

    /// <summary>The JSON records of <paramref name="jsonFiles"/> as rows of the record columns plus <c>file</c>.</summary>
    public static string JsonRecordsSelect(IReadOnlyList<string> jsonFiles, long maximumObjectBytes) =>
        CloudTrailSchema.RowsFromJson("r", $"(SELECT unnest(Records) AS r, filename FROM {ReadJson(jsonFiles, maximumObjectBytes)})");

    /// <summary>The records of <paramref name="parquetFiles"/> (compact's) as rows of the record columns plus <c>file</c>.</summary>
    public static string ParquetRecordsSelect(IReadOnlyList<string> parquetFiles) =>
        $"SELECT {RecordColumns}, filename AS file FROM read_parquet({Sql.List(parquetFiles)}, filename = true, union_by_name = true)";

    /// <summary>The record columns (the table's), comma separated, as <see cref="RecordsView"/> and the Parquet hold them.</summary>
    public static string RecordColumns { get; } = string.Join(", ", CloudTrailTable.Columns.Select(c => c.Name));

    /// <summary><c>read_json</c> over CloudTrail files with the document's one column pinned to a list of JSON records.</summary>
    public static string ReadJson(IReadOnlyList<string> jsonFiles, long maximumObjectBytes) =>
        $"read_json({Sql.List(jsonFiles)}, columns = {{Records: 'JSON[]'}}, format = 'auto', records = true, filename = true, maximum_object_size = {Sql.Number(maximumObjectBytes)})";

    /// <summary>The statements that create <see cref="RecordsView"/> and <see cref="ViewName"/> over <paramref name="files"/>.</summary>
    public static IReadOnlyList<string> CreateStatements(DataFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var parts = new List<string>();
        if (files.Json.Count > 0)
        {
            parts.Add(JsonRecordsSelect(files.Json, files.MaximumObjectBytes));
        }

        if (files.Parquet.Count > 0)
        {
            parts.Add(ParquetRecordsSelect(files.Parquet));
        }

        if (parts.Count == 0)
        {
            // No data: an empty view with the right columns, so a query still parses and returns no rows.
            var nulls = string.Join(", ", CloudTrailTable.Columns.Select(c => $"CAST(NULL AS {CloudTrailSchema.DuckDbType(c)}) AS {c.Name}"));
            parts.Add($"SELECT {nulls}, CAST(NULL AS VARCHAR) AS file WHERE false");
        }

        return
        [
            $"CREATE OR REPLACE TEMP VIEW {RecordsView} AS {string.Join(" UNION ALL BY NAME ", parts)}",
            $"CREATE OR REPLACE TEMP VIEW {ViewName} AS {FlattenSelect()}",
        ];
    }

    private static string FlattenSelect()
    {
        var sql = new StringBuilder("SELECT ");
        foreach (var column in CloudTrailTable.Columns)
        {
            sql.Append(column.Name switch
            {
                "eventtime" => "TRY_CAST(eventtime AS TIMESTAMP) AS eventtime",
                "requestparameters" or "responseelements" or "additionaleventdata" or "serviceeventdetails" => $"TRY_CAST({column.Name} AS JSON) AS {column.Name}",
                _ => column.Name,
            }).Append(", ");
        }

        sql.Append("""
            useridentity."type" AS useridentity_type,
            useridentity.principalId AS useridentity_principalid,
            useridentity.arn AS useridentity_arn,
            useridentity.accountId AS useridentity_accountid,
            useridentity.userName AS useridentity_username,
            useridentity.invokedBy AS useridentity_invokedby,
            useridentity.accessKeyId AS useridentity_accesskeyid,
            useridentity.sessionContext.sessionIssuer.userName AS useridentity_sessionissuer_username,
            useridentity.sessionContext.sessionIssuer.arn AS useridentity_sessionissuer_arn,
            useridentity.sessionContext.attributes.mfaAuthenticated AS useridentity_mfaauthenticated,
            """).Append(' ').Append(Principal).Append(" AS principal, ");
        sql.Append("COALESCE(").Append(Hive("account")).Append(", recipientaccountid, useridentity.accountId) AS account, ");
        sql.Append("COALESCE(").Append(Hive("region")).Append(", awsregion) AS region, ");
        sql.Append("COALESCE(").Append(Hive("year")).Append(", strftime(TRY_CAST(eventtime AS TIMESTAMP), '%Y')) AS year, ");
        sql.Append("COALESCE(").Append(Hive("month")).Append(", strftime(TRY_CAST(eventtime AS TIMESTAMP), '%m')) AS month, ");
        sql.Append("COALESCE(").Append(Hive("day")).Append(", strftime(TRY_CAST(eventtime AS TIMESTAMP), '%d')) AS day, ");
        sql.Append("file FROM ").Append(RecordsView);
        return sql.ToString();
    }

    /// <summary>
    /// Who made the call, as a person reads it: the IAM user name, else the assumed role's name, else the service that
    /// invoked it, else the identity type (<c>Root</c>, <c>AWSService</c>). The same expression works in Athena.
    /// </summary>
    public const string Principal =
        "COALESCE(useridentity.userName, useridentity.sessionContext.sessionIssuer.userName, useridentity.invokedBy, useridentity.\"type\")";

    private static string Hive(string key) => $"NULLIF(regexp_extract(file, '[/\\\\]{key}=([^/\\\\]+)[/\\\\]', 1), '')";
}
