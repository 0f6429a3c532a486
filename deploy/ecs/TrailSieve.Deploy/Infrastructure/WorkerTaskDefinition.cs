using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// A Fargate task definition running the worker image on ARM64 (Graviton) with one essential container named
/// <see cref="ContainerName"/>: the service, the backfill task and the report task differ only in role and command.
/// </summary>
internal static class WorkerTaskDefinition
{
    public const string ContainerName = "trailsieve";

    public static FargateTaskDefinition Create(
        Construct scope,
        string id,
        DeploySettings settings,
        IRole taskRole,
        ContainerImage image,
        ILogGroup logGroup,
        string streamPrefix,
        IReadOnlyList<string> command,
        IDictionary<string, string> environment,
        Amazon.CDK.AWS.ECS.HealthCheck? healthCheck = null,
        int? ephemeralStorageGiB = null,
        int? stopTimeoutSeconds = null)
    {
        var definition = new FargateTaskDefinition(scope, id, new FargateTaskDefinitionProps
        {
            Cpu = settings.Cpu,
            MemoryLimitMiB = settings.MemoryMiB,
            // Null keeps Fargate's default (20 GiB); 21 to 200 GiB may be asked for.
            EphemeralStorageGiB = ephemeralStorageGiB,
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = CpuArchitecture.ARM64,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
            TaskRole = taskRole,
        });
        definition.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = ContainerName,
            Image = image,
            Command = [.. command],
            Environment = environment,
            Essential = true,
            HealthCheck = healthCheck,
            // SIGTERM, then the drain (Sqs:DrainTimeout), the host's 5 s, and slack, before ECS sends SIGKILL; a task
            // that drains for as long as it takes (backfill) asks for more.
            StopTimeout = Duration.Seconds(stopTimeoutSeconds ?? settings.StopTimeoutSeconds),
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logGroup, StreamPrefix = streamPrefix }),
        });
        return definition;
    }
}
