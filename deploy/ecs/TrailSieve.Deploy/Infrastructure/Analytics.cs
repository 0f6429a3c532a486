using Amazon.CDK;
using Amazon.CDK.AWS.Athena;
using Amazon.CDK.AWS.Glue;
using Constructs;
using TrailSieve.Core.Analytics;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// The Glue database and table over the output prefix, built from <see cref="CloudTrailTable"/> (the definition
/// <c>trailsieve athena-ddl</c> prints), and an Athena workgroup whose encrypted result location is enforced.
/// </summary>
internal sealed class Analytics : Construct
{
    public Analytics(Construct scope, string id, DeploySettings settings, OutputStore output)
        : base(scope, id)
    {
        Database = new CfnDatabase(this, "Database", new CfnDatabaseProps
        {
            CatalogId = Aws.ACCOUNT_ID,
            DatabaseInput = new CfnDatabase.DatabaseInputProperty
            {
                Name = settings.GlueDatabaseName,
                Description = "TrailSieve: filtered CloudTrail records",
            },
        });

        var location = output.Location(settings.OutputPrefix);
        var parameters = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["EXTERNAL"] = "TRUE",
            ["classification"] = "cloudtrail",
        };
        foreach (var (key, value) in CloudTrailTable.ProjectionParameters(location, settings.ProjectionAccounts, settings.ProjectionRegions, settings.ProjectionFirstYear, settings.ProjectionLastYear))
        {
            parameters[key] = value;
        }

        var (serde, inputFormat, outputFormat) = CloudTrailTable.Storage(TableFormat.Json);
        Table = new CfnTable(this, "Table", new CfnTableProps
        {
            CatalogId = Aws.ACCOUNT_ID,
            DatabaseName = settings.GlueDatabaseName,
            TableInput = new CfnTable.TableInputProperty
            {
                Name = settings.GlueTableName,
                Description = "CloudTrail records filtered by TrailSieve (Hive layout, partition projection)",
                TableType = "EXTERNAL_TABLE",
                Parameters = parameters,
                PartitionKeys = Columns(CloudTrailTable.PartitionColumns),
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Location = location,
                    InputFormat = inputFormat,
                    OutputFormat = outputFormat,
                    SerdeInfo = new CfnTable.SerdeInfoProperty { SerializationLibrary = serde },
                    Columns = Columns(CloudTrailTable.Columns),
                },
            },
        });
        Table.AddDependency(Database);

        WorkGroup = new CfnWorkGroup(this, "WorkGroup", new CfnWorkGroupProps
        {
            Name = settings.AthenaWorkGroupName,
            Description = "TrailSieve: queries over the filtered CloudTrail table",
            State = "ENABLED",
            WorkGroupConfiguration = new CfnWorkGroup.WorkGroupConfigurationProperty
            {
                EnforceWorkGroupConfiguration = true,
                PublishCloudWatchMetricsEnabled = true,
                ResultConfiguration = new CfnWorkGroup.ResultConfigurationProperty
                {
                    OutputLocation = output.Location(DeploySettings.AthenaResultsPrefix),
                    EncryptionConfiguration = new CfnWorkGroup.EncryptionConfigurationProperty
                    {
                        EncryptionOption = settings.OutputUsesKms ? "SSE_KMS" : "SSE_S3",
                        KmsKey = settings.OutputKmsKeyArn,
                    },
                },
            },
        });
    }

    public CfnDatabase Database { get; }

    public CfnTable Table { get; }

    public CfnWorkGroup WorkGroup { get; }

    private static CfnTable.ColumnProperty[] Columns(IEnumerable<TableColumn> columns) =>
        [.. columns.Select(c => new CfnTable.ColumnProperty { Name = c.Name, Type = c.HiveType, Comment = c.Comment })];
}
