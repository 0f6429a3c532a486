using System.Globalization;
using System.Text;

namespace TrailSieve.Core.Analytics;

/// <summary>The storage format a CloudTrail table reads.</summary>
public enum TableFormat
{
    /// <summary>CloudTrail-shaped gzip JSON (<c>{"Records":[...]}</c>), read through the CloudTrail SerDe.</summary>
    Json,

    /// <summary>Parquet written by <c>trailsieve compact</c>, with the same columns.</summary>
    Parquet,

    /// <summary>OCSF 1.1.0 Parquet written by <c>--format ocsf</c>: the tables of <see cref="OcsfTable"/>, one per class.</summary>
    Ocsf,
}

/// <summary>One column of the CloudTrail table, with its Hive/Glue type.</summary>
public sealed record TableColumn(string Name, string HiveType, string Comment);

/// <summary>
/// The single definition of the CloudTrail table over TrailSieve's Hive-style batch layout
/// (<see cref="HiveKeyTemplate"/>): its columns, its partition columns and the partition projection that makes
/// Athena find partitions without a crawler or <c>MSCK REPAIR</c>. <c>trailsieve athena-ddl</c> prints it as SQL and
/// the Glue table in deploy/ecs is built from the same properties, so the two cannot drift apart.
/// </summary>
/// <remarks>
/// Nested objects whose shape differs per API (<c>requestParameters</c>, <c>responseElements</c>,
/// <c>additionalEventData</c>, <c>serviceEventDetails</c>) are JSON strings: a struct would need every API's shape.
/// <c>userIdentity</c>, <c>resources</c> and <c>tlsDetails</c> have a fixed shape and are structs.
/// </remarks>
public static class CloudTrailTable
{
    /// <summary>The batch key template that writes the partitions this table projects.</summary>
    public const string HiveKeyTemplate =
        "{prefix}account={account}/region={region}/year={yyyy}/month={MM}/day={dd}/{id}.json.gz";

    /// <summary>The regions projected when none are given: every commercial, GovCloud and China region.</summary>
    public static readonly IReadOnlyList<string> DefaultRegions =
    [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
        "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2",
        "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
        "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1",
        "us-gov-west-1", "us-west-1", "us-west-2",
    ];

    private const string UserIdentityType =
        "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string," +
        "username:string,onbehalfof:struct<userid:string,identitystorearn:string>," +
        "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>," +
        "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>," +
        "sourceidentity:string,ec2roledelivery:string>>";

    /// <summary>The record columns, in CloudTrail's order.</summary>
    public static readonly IReadOnlyList<TableColumn> Columns =
    [
        new("eventversion", "string", "CloudTrail record format version"),
        new("useridentity", UserIdentityType, "who made the call"),
        new("eventtime", "string", "ISO 8601 UTC time of the call"),
        new("eventsource", "string", "service endpoint, e.g. iam.amazonaws.com"),
        new("eventname", "string", "API action"),
        new("awsregion", "string", "region the call was made to"),
        new("sourceipaddress", "string", "caller IP address or service name"),
        new("useragent", "string", "caller user agent"),
        new("errorcode", "string", "error code when the call failed"),
        new("errormessage", "string", "error message when the call failed"),
        new("requestparameters", "string", "request parameters as JSON"),
        new("responseelements", "string", "response elements as JSON"),
        new("additionaleventdata", "string", "additional event data as JSON"),
        new("requestid", "string", "service request id"),
        new("eventid", "string", "CloudTrail event id (unique per event)"),
        new("resources", "array<struct<arn:string,accountid:string,type:string>>", "resources accessed"),
        new("eventtype", "string", "AwsApiCall, AwsServiceEvent, AwsConsoleSignIn, ..."),
        new("apiversion", "string", "API version"),
        new("readonly", "string", "true when the call only reads"),
        new("recipientaccountid", "string", "account that received the event"),
        new("serviceeventdetails", "string", "service event details as JSON"),
        new("sharedeventid", "string", "id shared by copies of one event delivered to several accounts"),
        new("vpcendpointid", "string", "VPC endpoint the call came through"),
        new("eventcategory", "string", "Management, Data or Insight"),
        new("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>", "TLS of the call"),
    ];

    /// <summary>The partition columns, in key order.</summary>
    public static readonly IReadOnlyList<TableColumn> PartitionColumns =
    [
        new("account", "string", "AWS account id (recipientAccountId)"),
        new("region", "string", "AWS region"),
        new("year", "string", "yyyy of eventTime"),
        new("month", "string", "MM of eventTime"),
        new("day", "string", "dd of eventTime"),
    ];

    /// <summary>
    /// The table parameters that turn on partition projection over <paramref name="location"/>.
    /// </summary>
    /// <param name="location">An <c>s3://bucket/prefix/</c> location; a missing trailing slash is added.</param>
    /// <param name="accounts">The account ids to project; none means <c>injected</c> (queries must name the account).</param>
    /// <param name="regions">The regions to project; none means <see cref="DefaultRegions"/>.</param>
    /// <param name="firstYear">The first year projected.</param>
    /// <param name="lastYear">The last year projected.</param>
    public static IReadOnlyDictionary<string, string> ProjectionParameters(
        string location,
        IReadOnlyCollection<string>? accounts,
        IReadOnlyCollection<string>? regions,
        int firstYear,
        int lastYear)
    {
        var root = NormaliseLocation(location);
        if (firstYear < 2013 || lastYear < firstYear)
        {
            throw new ArgumentOutOfRangeException(nameof(lastYear), $"year range {firstYear}-{lastYear} is not a range from 2013 on");
        }

        RequireValues(accounts, a => Layout.CloudTrailLayout.IsAccountId(a), "account", "12 digits");
        RequireValues(regions, IsRegion, "region", "lower-case letters, digits and '-'");
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["projection.enabled"] = "true",
            ["projection.region.type"] = "enum",
            ["projection.region.values"] = string.Join(",", regions is { Count: > 0 } ? regions : DefaultRegions),
            ["projection.year.type"] = "integer",
            ["projection.year.range"] = string.Create(CultureInfo.InvariantCulture, $"{firstYear},{lastYear}"),
            ["projection.month.type"] = "integer",
            ["projection.month.range"] = "1,12",
            ["projection.month.digits"] = "2",
            ["projection.day.type"] = "integer",
            ["projection.day.range"] = "1,31",
            ["projection.day.digits"] = "2",
            ["storage.location.template"] = root + "account=${account}/region=${region}/year=${year}/month=${month}/day=${day}/",
        };
        if (accounts is { Count: > 0 })
        {
            parameters["projection.account.type"] = "enum";
            parameters["projection.account.values"] = string.Join(",", accounts);
        }
        else
        {
            parameters["projection.account.type"] = "injected";
        }

        return parameters;
    }

    /// <summary>The SerDe, input and output formats of a format, as Glue's StorageDescriptor names them.</summary>
    public static (string SerDe, string InputFormat, string OutputFormat) Storage(TableFormat format) => format switch
    {
        TableFormat.Json => (
            "com.amazon.emr.hive.serde.CloudTrailSerde",
            "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
            "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
        TableFormat.Parquet or TableFormat.Ocsf => (
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown table format"),
    };

    /// <summary>The Athena <c>CREATE EXTERNAL TABLE</c> statement for a table over <paramref name="location"/>.</summary>
    public static string CreateTableSql(
        string tableName,
        string location,
        TableFormat format,
        IReadOnlyCollection<string>? accounts = null,
        IReadOnlyCollection<string>? regions = null,
        int firstYear = 2013,
        int lastYear = 2035)
    {
        RequireTableName(tableName);

        if (format == TableFormat.Ocsf)
        {
            throw new ArgumentException("OCSF output has tables of its own, one per class: OcsfTable.CreateTablesSql", nameof(format));
        }

        var root = NormaliseLocation(location);
        return CreateTableSql(
            tableName, root, format, Columns, PartitionColumns, "CloudTrail records filtered by TrailSieve", ProjectionParameters(root, accounts, regions, firstYear, lastYear));
    }

    /// <summary>A <c>CREATE EXTERNAL TABLE</c> of any columns, partitions and projection (the OCSF tables' too, <see cref="OcsfTable"/>).</summary>
    internal static string CreateTableSql(
        string tableName,
        string location,
        TableFormat format,
        IReadOnlyList<TableColumn> columns,
        IReadOnlyList<TableColumn> partitionColumns,
        string comment,
        IReadOnlyDictionary<string, string> parameters)
    {
        RequireTableName(tableName);

        var root = NormaliseLocation(location);
        var (serde, input, output) = Storage(format);
        var sql = new StringBuilder();
        sql.Append("CREATE EXTERNAL TABLE IF NOT EXISTS ").Append(tableName).Append(" (\n");
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            sql.Append("  `").Append(column.Name).Append("` ").Append(column.HiveType.Replace(":", " ", StringComparison.Ordinal).Replace(",", ", ", StringComparison.Ordinal))
                .Append(" COMMENT '").Append(column.Comment).Append('\'')
                .Append(i < columns.Count - 1 ? ",\n" : "\n");
        }

        sql.Append(")\nCOMMENT '").Append(comment).Append("'\nPARTITIONED BY (\n");
        for (var i = 0; i < partitionColumns.Count; i++)
        {
            var column = partitionColumns[i];
            sql.Append("  `").Append(column.Name).Append("` ").Append(column.HiveType)
                .Append(" COMMENT '").Append(column.Comment).Append('\'')
                .Append(i < partitionColumns.Count - 1 ? ",\n" : "\n");
        }

        sql.Append(")\nROW FORMAT SERDE '").Append(serde).Append("'\n")
            .Append("STORED AS INPUTFORMAT '").Append(input).Append("'\n")
            .Append("OUTPUTFORMAT '").Append(output).Append("'\n")
            .Append("LOCATION '").Append(root).Append("'\n")
            .Append("TBLPROPERTIES (\n");
        var n = 0;
        foreach (var (key, value) in parameters)
        {
            sql.Append("  '").Append(key).Append("'='").Append(value).Append('\'')
                .Append(++n < parameters.Count ? ",\n" : "\n");
        }

        sql.Append(");\n");
        return sql.ToString();
    }

    private static bool IsTableName(string name) =>
        name.Split('.') is { Length: 1 or 2 } parts && parts.All(p => p.Length > 0 && !char.IsAsciiDigit(p[0]) && p.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));


    private static bool IsRegion(string region) => region.Length > 0 && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    // Values go into quoted table properties: anything else could end the quote.
    private static void RequireValues(IReadOnlyCollection<string>? values, Func<string, bool> valid, string what, string shape)
    {
        if (values?.FirstOrDefault(v => !valid(v)) is { } bad)
        {
            throw new ArgumentException($"{what} '{bad}' is not {shape}", what == "account" ? "accounts" : "regions");
        }
    }

    private static void RequireTableName(string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        if (!IsTableName(tableName))
        {
            throw new ArgumentException($"table name '{tableName}' is not [database.]name of letters, digits and underscores", nameof(tableName));
        }
    }

    private static string NormaliseLocation(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (!location.StartsWith("s3://", StringComparison.Ordinal) || location.Length <= "s3://".Length || location.Contains('\'', StringComparison.Ordinal))
        {
            throw new ArgumentException($"location '{location}' is not an s3://bucket/prefix/ address", nameof(location));
        }

        return location.EndsWith('/') ? location : location + "/";
    }
}
