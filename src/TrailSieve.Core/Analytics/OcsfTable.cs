using System.Text;
using Parquet.Schema;
using Parquet.Serialization;
using TrailSieve.Core.Ocsf;
using TrailSieve.Core.Ocsf.Model;

namespace TrailSieve.Core.Analytics;

/// <summary>
/// The Athena/Glue tables over <c>--format ocsf</c> output, one per OCSF class (each class is a Security Lake source of
/// its own, <see cref="SecurityLakeLayout"/>): columns read from the very Parquet schema the writer uses
/// (<see cref="OcsfEvent"/>), so the DDL cannot drift from the files, partitioned by region, accountId and eventDay
/// with partition projection like <see cref="CloudTrailTable"/>.
/// </summary>
public static class OcsfTable
{
    /// <summary>The partition columns, in key order (Athena lower-cases them; the key folders keep Security Lake's case).</summary>
    public static IReadOnlyList<TableColumn> PartitionColumns { get; } =
    [
        new("region", "string", "AWS region (cloud.region)"),
        new("accountid", "string", "AWS account id (recipientAccountId)"),
        new("eventday", "string", "yyyyMMdd of time, UTC"),
    ];

    /// <summary>The columns, in the Parquet schema's order, with Hive types.</summary>
    public static IReadOnlyList<TableColumn> Columns { get; } = [.. typeof(OcsfEvent).GetParquetSchema(forWriting: true).Fields.Select(f => new TableColumn(f.Name, HiveType(f), "OCSF 1.1.0 " + f.Name))];

    /// <summary>The table parameters that turn on partition projection over one class's source folder.</summary>
    public static IReadOnlyDictionary<string, string> ProjectionParameters(string classLocation, IReadOnlyCollection<string>? accounts, IReadOnlyCollection<string>? regions)
    {
        // The region and account rules are CloudTrailTable's; its year projection is replaced by eventDay's.
        var shared = CloudTrailTable.ProjectionParameters(classLocation, accounts, regions, 2013, 2035);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["projection.enabled"] = "true",
            ["projection.region.type"] = "enum",
            ["projection.region.values"] = shared["projection.region.values"],
            ["projection.accountid.type"] = shared["projection.account.type"],
            ["projection.eventday.type"] = "date",
            ["projection.eventday.format"] = "yyyyMMdd",
            ["projection.eventday.range"] = "20130101,NOW",
            ["projection.eventday.interval"] = "1",
            ["projection.eventday.interval.unit"] = "DAYS",
            ["storage.location.template"] = Normalise(classLocation) + "region=${region}/accountId=${accountid}/eventDay=${eventday}/",
        };
        if (shared.TryGetValue("projection.account.values", out var values))
        {
            parameters["projection.accountid.values"] = values;
        }

        return parameters;
    }

    /// <summary>
    /// The <c>CREATE EXTERNAL TABLE</c> statements, one per class, named <c>{tableName}_{class}</c> (api_activity,
    /// authentication, account_change) over <c>{location}ext/{source}-{class_uid}/[{version}/]</c>.
    /// </summary>
    public static string CreateTablesSql(
        string tableName,
        string location,
        string sourceName = "trailsieve",
        string sourceVersion = "",
        IReadOnlyCollection<string>? accounts = null,
        IReadOnlyCollection<string>? regions = null)
    {
        var layout = new SecurityLakeLayout(sourceName, sourceVersion);
        var root = Normalise(location);
        var sql = new StringBuilder();
        foreach (var cls in OcsfSchema.Classes.OrderByDescending(c => c.Uid))
        {
            var classLocation = root + layout.SourcePrefix(cls.Uid);
            var name = tableName + "_" + cls.Slug.Replace('-', '_');
            sql.Append(CloudTrailTable.CreateTableSql(
                name,
                classLocation,
                TableFormat.Parquet,
                Columns,
                PartitionColumns,
                $"OCSF 1.1.0 {cls.Name} ({cls.Uid}) events written by TrailSieve (Security Lake source {layout.SourceOf(cls.Uid)})",
                ProjectionParameters(classLocation, accounts, regions)));
        }

        return sql.ToString();
    }

    private static string HiveType(Field field) => field switch
    {
        DataField data => (Nullable.GetUnderlyingType(data.ClrType) ?? data.ClrType) switch
        {
            var t when t == typeof(int) => "int",
            var t when t == typeof(long) => "bigint",
            var t when t == typeof(bool) => "boolean",
            var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => "string",
            var t => throw new NotSupportedException($"OCSF column {field.Name}: no Hive type for {t}"),
        },
        StructField structure => "struct<" + string.Join(",", structure.Fields.Select(f => f.Name + ":" + HiveType(f))) + ">",
        ListField list => "array<" + HiveType(list.Item) + ">",
        MapField map => "map<" + HiveType(map.Key) + "," + HiveType(map.Value) + ">",
        _ => throw new NotSupportedException($"OCSF column {field.Name}: no Hive type for a {field.GetType().Name}"),
    };

    private static string Normalise(string location) => location.EndsWith('/') ? location : location + "/";
}
