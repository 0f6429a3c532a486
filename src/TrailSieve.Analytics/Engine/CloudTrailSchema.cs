using System.Text;
using TrailSieve.Core.Analytics;

namespace TrailSieve.Analytics.Engine;

/// <summary>
/// The record columns of <see cref="CloudTrailTable"/> as DuckDB types, and the SQL that turns one CloudTrail record
/// (a DuckDB JSON value) into them. Parquet written by <c>compact</c> has exactly these columns, so the JSON and the
/// Parquet sides of the <c>cloudtrail</c> view line up, and Athena reads the Parquet with <c>athena-ddl --format parquet</c>.
/// </summary>
/// <remarks>
/// Struct field names keep CloudTrail's camelCase: the record's JSON keys are matched by name when it is cast to the
/// struct, and both DuckDB and Athena look names up case-insensitively. A value of the wrong shape (a string where an
/// object belongs: real logs have them) becomes NULL through <c>TRY_CAST</c> instead of failing the file.
/// </remarks>
internal static class CloudTrailSchema
{
    /// <summary>DuckDB type of <c>useridentity</c>.</summary>
    public const string UserIdentityType =
        "STRUCT(\"type\" VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, invokedBy VARCHAR, accessKeyId VARCHAR, " +
        "userName VARCHAR, onBehalfOf STRUCT(userId VARCHAR, identityStoreArn VARCHAR), " +
        "sessionContext STRUCT(attributes STRUCT(mfaAuthenticated VARCHAR, creationDate VARCHAR), " +
        "sessionIssuer STRUCT(\"type\" VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR), " +
        "sourceIdentity VARCHAR, ec2RoleDelivery VARCHAR))";

    /// <summary>DuckDB type of <c>resources</c>.</summary>
    public const string ResourcesType = "STRUCT(ARN VARCHAR, accountId VARCHAR, \"type\" VARCHAR)[]";

    /// <summary>DuckDB type of <c>tlsdetails</c>.</summary>
    public const string TlsDetailsType = "STRUCT(tlsVersion VARCHAR, cipherSuite VARCHAR, clientProvidedHostHeader VARCHAR)";

    // Lower-case column -> CloudTrail's JSON key.
    private static readonly Dictionary<string, string> s_keys = new(StringComparer.Ordinal)
    {
        ["eventversion"] = "eventVersion", ["useridentity"] = "userIdentity", ["eventtime"] = "eventTime",
        ["eventsource"] = "eventSource", ["eventname"] = "eventName", ["awsregion"] = "awsRegion",
        ["sourceipaddress"] = "sourceIPAddress", ["useragent"] = "userAgent", ["errorcode"] = "errorCode",
        ["errormessage"] = "errorMessage", ["requestparameters"] = "requestParameters",
        ["responseelements"] = "responseElements", ["additionaleventdata"] = "additionalEventData",
        ["requestid"] = "requestID", ["eventid"] = "eventID", ["resources"] = "resources", ["eventtype"] = "eventType",
        ["apiversion"] = "apiVersion", ["readonly"] = "readOnly", ["recipientaccountid"] = "recipientAccountId",
        ["serviceeventdetails"] = "serviceEventDetails", ["sharedeventid"] = "sharedEventID",
        ["vpcendpointid"] = "vpcEndpointId", ["eventcategory"] = "eventCategory", ["tlsdetails"] = "tlsDetails",
    };

    /// <summary>The DuckDB type of a record column.</summary>
    public static string DuckDbType(TableColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Name switch
        {
            "useridentity" => UserIdentityType,
            "resources" => ResourcesType,
            "tlsdetails" => TlsDetailsType,
            _ when column.HiveType == "string" => "VARCHAR",
            _ => throw new InvalidOperationException($"column {column.Name} ({column.HiveType}) has no DuckDB type"),
        };
    }

    /// <summary>The CloudTrail JSON key of a record column.</summary>
    public static string JsonKey(TableColumn column) => s_keys[column.Name];

    /// <summary>The <c>json_transform</c> shape: every record key as VARCHAR, or JSON where the value is an object.</summary>
    public static string Shape()
    {
        var shape = new StringBuilder("{");
        foreach (var column in CloudTrailTable.Columns)
        {
            shape.Append(shape.Length > 1 ? "," : string.Empty).Append('"').Append(JsonKey(column)).Append("\":\"")
                .Append(column.HiveType == "string" && !IsJsonText(column) ? "VARCHAR" : "JSON").Append('"');
        }

        return shape.Append('}').ToString();
    }

    /// <summary>The record columns from <paramref name="transformed"/>, the struct <see cref="Shape"/> gives.</summary>
    public static string Columns(string transformed)
    {
        var builder = new StringBuilder();
        foreach (var column in CloudTrailTable.Columns)
        {
            var field = $"{transformed}.{Sql.Identifier(JsonKey(column))}";
            var expression = column.Name switch
            {
                "useridentity" or "resources" or "tlsdetails" => $"TRY_CAST({field} AS {DuckDbType(column)})",
                _ when IsJsonText(column) => $"NULLIF(CAST({field} AS VARCHAR), 'null')",
                _ => field,
            };
            builder.Append(builder.Length > 0 ? ", " : string.Empty).Append(expression).Append(" AS ").Append(column.Name);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The JSON records <paramref name="record"/> of <paramref name="source"/> as rows of the record columns plus
    /// <c>file</c> (from the source's <c>filename</c>). Each record is parsed once (<c>json_transform</c> to a struct
    /// of its keys) rather than once per column: twenty <c>-&gt;&gt;</c> extractions made DuckDB hold twenty parsed
    /// copies of every record while materialising, and a 25,000-record partition ran out of 1 GiB. Strings are taken
    /// as text (a boolean <c>readOnly</c> becomes <c>'true'</c>, as Athena's SerDe does); objects whose shape differs
    /// per API stay JSON text; the fixed-shape objects are cast to their structs, NULL where a value has another shape.
    /// </summary>
    public static string RowsFromJson(string record, string source) =>
        $"SELECT {Columns(Transformed)}, filename AS file FROM (SELECT json_transform({record}, {Sql.Literal(Shape())}) AS {Transformed}, filename FROM {source})";

    /// <summary>
    /// A row of the <c>cloudtrail</c> view as a CloudTrail record again: JSON text with CloudTrail's keys and
    /// <c>eventTime</c> in ISO 8601, JSON nulls (what a missing field reads as) dropped at every level, for evaluating
    /// detections on records that only exist as columns (Parquet has no original bytes). Only the record's top-level
    /// <paramref name="keys"/> are built (all when null): each one costs its column's conversion on every row read.
    /// </summary>
    public static string RecordJson(IReadOnlyCollection<string>? keys = null)
    {
        var fields = CloudTrailTable.Columns.Where(c => keys is null || keys.Contains(JsonKey(c))).Select(c =>
            $"{Sql.Identifier(JsonKey(c))} := {(c.Name == "eventtime" ? "strftime(eventtime, '%Y-%m-%dT%H:%M:%SZ')" : c.Name)}");
        var packed = fields.ToList();
        return packed.Count == 0 ? "'{}'" : $"json_merge_patch('{{}}', to_json(struct_pack({string.Join(", ", packed)})))";
    }

    private const string Transformed = "t_";

    private static bool IsJsonText(TableColumn column) =>
        column.Name is "requestparameters" or "responseelements" or "additionaleventdata" or "serviceeventdetails";
}
