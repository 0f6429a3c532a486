using System.Globalization;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// On the 1st of every month at 03:00 UTC, EventBridge runs <c>trailsieve report --month previous</c> over the
/// output prefix, with the findings the service and backfill write under <c>alerts/</c>, and writes the per-account
/// reports under <c>reports/</c>. The role lists and reads the records and the findings, and writes reports only.
/// </summary>
internal sealed class MonthlyReport : Construct
{
    public MonthlyReport(Construct scope, string id, DeploySettings settings, OutputStore output, WorkerService service, ContainerImage image)
        : base(scope, id)
    {
        Role = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "TrailSieve monthly report: read filtered records, write reports",
        });
        Role.AddToPolicy(TaskPermissions.ListPrefix("ListRecords", output.Bucket, settings.OutputPrefix));
        Role.AddToPolicy(TaskPermissions.ReadObjects("ReadRecords", output.Bucket, settings.OutputPrefix));
        Role.AddToPolicy(TaskPermissions.ListPrefix("ListFindings", output.Bucket, DeploySettings.AlertsPrefix));
        Role.AddToPolicy(TaskPermissions.ReadObjects("ReadFindings", output.Bucket, DeploySettings.AlertsPrefix));
        Role.AddToPolicy(TaskPermissions.WriteObjects("WriteReports", output.Bucket, DeploySettings.ReportsPrefix));
        foreach (var statement in TaskPermissions.UseOutputKey(settings))
        {
            Role.AddToPolicy(statement);
        }

        // Findings are not under the records prefix (the worker writes them to Detections:AlertsPrefix, alerts/, of the
        // bucket), so the report is told where they are instead of looking in DATA/alerts/.
        // The report downloads one day partition at a time (plus the month's findings); half the task's storage is
        // the spool limit, the other half is left for the image, DuckDB's spill files and the pages.
        Command =
        [
            "report", "--month", "previous", "--data", output.Location(settings.OutputPrefix),
            "--findings", output.Location(DeploySettings.AlertsPrefix), "--out", output.Location(DeploySettings.ReportsPrefix),
            "--spool-limit", string.Create(CultureInfo.InvariantCulture, $"{settings.ReportEphemeralStorageGiB / 2}GiB"),
        ];
        var environment = new Dictionary<string, string>(WorkerEnvironment.OutputEncryption(settings), StringComparer.Ordinal)
        {
            [WorkerContract.MetricsNamespaceVariable] = settings.MetricsNamespace,
        };
        TaskDefinition = WorkerTaskDefinition.Create(
            this,
            "TaskDefinition",
            settings,
            Role,
            image,
            service.LogGroup,
            "report",
            Command,
            environment,
            ephemeralStorageGiB: settings.ReportEphemeralStorageGiB > DeploySettings.FargateDefaultEphemeralStorageGiB ? settings.ReportEphemeralStorageGiB : null);

        Rule = new Rule(this, "Schedule", new RuleProps
        {
            Description = "TrailSieve: monthly report of the previous calendar month (UTC)",
            Schedule = Schedule.Cron(new CronOptions { Minute = "0", Hour = "3", Day = "1" }),
        });
        Rule.AddTarget(new EcsTask(new EcsTaskProps
        {
            Cluster = service.Cluster,
            TaskDefinition = TaskDefinition,
            TaskCount = 1,
            AssignPublicIp = true,
            SubnetSelection = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            PlatformVersion = FargatePlatformVersion.LATEST,
            RetryAttempts = 2,
        }));
    }

    public Role Role { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public Rule Rule { get; }

    public IReadOnlyList<string> Command { get; }
}
