using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// A task definition for one-off backfills with <c>aws ecs run-task</c> (deploy/ecs/README.md): by default it lists
/// the CloudTrail prefix and processes every object; a command override narrows it or fans out with <c>--enqueue</c>.
/// Its role can list and read the source prefix, write the output, send to the queue (for <c>--enqueue</c>), and keep
/// its checkpoint under <c>checkpoints/</c> of the output bucket, so a task that is stopped (a Spot interruption) or
/// fails resumes when the same command runs again: a local checkpoint file would end with the task.
/// </summary>
internal sealed class BackfillTask : Construct
{
    public BackfillTask(Construct scope, string id, DeploySettings settings, NotificationQueue queue, OutputStore output, WorkerService service, ContainerImage image)
        : base(scope, id)
    {
        Role = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "TrailSieve backfill: list and read CloudTrail objects, write filtered output, enqueue objects",
        });
        Role.AddToPolicy(TaskPermissions.ListPrefix("ListCloudTrail", queue.SourceBucket, settings.SourcePrefix));
        Role.AddToPolicy(TaskPermissions.ReadObjects("ReadCloudTrail", queue.SourceBucket, settings.SourcePrefix));
        Role.AddToPolicy(TaskPermissions.WriteObjects("WriteOutput", output.Bucket, settings.OutputPrefix, DeploySettings.AlertsPrefix));
        foreach (var statement in TaskPermissions.KeepLedger(output.Bucket, settings.OutputPrefix))
        {
            Role.AddToPolicy(statement);
        }
        Role.AddToPolicy(TaskPermissions.EnqueueObjects(queue.Queue));
        foreach (var statement in TaskPermissions.KeepCheckpoints(output.Bucket))
        {
            Role.AddToPolicy(statement);
        }

        WorkerService.AddCommonStatements(Role, settings);

        Command = DefaultCommand(settings);
        var environment = new Dictionary<string, string>(service.Environment, StringComparer.Ordinal)
        {
            [WorkerContract.BackfillCheckpointPrefixVariable] = output.Location(DeploySettings.CheckpointsPrefix),
            [WorkerContract.ReadParallelismVariable] = DeploySettings.BackfillReadParallelism.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // On SIGTERM backfill finishes the objects in flight, flushes its batches and saves the checkpoint, with no
        // drain deadline of its own: give it all Fargate allows, the two minutes a Spot interruption leaves.
        TaskDefinition = WorkerTaskDefinition.Create(
            this, "TaskDefinition", settings, Role, image, service.LogGroup, "backfill", Command, environment, stopTimeoutSeconds: DeploySettings.MaxStopTimeoutSeconds);
        _ = new CfnOutput(this, "TaskDefinitionArn", new CfnOutputProps
        {
            Description = "Backfill task definition for aws ecs run-task (see deploy/ecs/README.md)",
            Value = TaskDefinition.TaskDefinitionArn,
        });
    }

    public Role Role { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public IReadOnlyList<string> Command { get; }

    /// <summary>The whole source prefix; run-task overrides it to narrow the range or add <c>--enqueue</c>.</summary>
    public static IReadOnlyList<string> DefaultCommand(DeploySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ["backfill", "--bucket", settings.SourceBucketName, "--prefix", settings.SourcePrefix];
    }
}
