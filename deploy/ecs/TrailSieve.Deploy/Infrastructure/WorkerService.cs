using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// The network, the cluster, the log group and the always-on Fargate service that drains the queue.
/// </summary>
/// <remarks>
/// The VPC is new and minimal: two public subnets, no NAT gateway (NAT costs more than the workload), an S3 gateway
/// endpoint so object traffic stays off the internet path, and tasks with a public IP behind a security group with
/// no ingress. SQS, ECR, CloudWatch Logs and SSM are reached over their public endpoints, TLS only.
/// </remarks>
internal sealed class WorkerService : Construct
{
    public WorkerService(Construct scope, string id, DeploySettings settings, NotificationQueue queue, OutputStore output, ContainerImage image)
        : base(scope, id)
    {
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 }],
            GatewayEndpoints = new Dictionary<string, IGatewayVpcEndpointOptions>
            {
                ["S3"] = new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.S3 },
            },
        });

        // Container Insights publishes ECS/ContainerInsights RunningTaskCount, the divisor of the scaling metric.
        Cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            Vpc = Vpc,
            ContainerInsights = true,
            EnableFargateCapacityProviders = true,
        });

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps { Retention = RetentionDays.INFINITE, RemovalPolicy = RemovalPolicy.RETAIN });
        ((CfnLogGroup)LogGroup.Node.DefaultChild!).RetentionInDays = settings.LogRetentionDays;

        Environment = WorkerEnvironment.Create(settings, queue.Queue.QueueUrl, output);

        TaskRole = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = "TrailSieve service: read CloudTrail objects, write filtered output, consume the queue",
        });
        TaskRole.AddToPolicy(TaskPermissions.ConsumeQueue(queue.Queue));
        TaskRole.AddToPolicy(TaskPermissions.ReadObjects("ReadCloudTrail", queue.SourceBucket, settings.SourcePrefix));
        TaskRole.AddToPolicy(TaskPermissions.WriteObjects("WriteOutput", output.Bucket, settings.OutputPrefix, DeploySettings.AlertsPrefix));
        foreach (var statement in TaskPermissions.KeepLedger(output.Bucket, settings.OutputPrefix))
        {
            TaskRole.AddToPolicy(statement);
        }
        AddCommonStatements(TaskRole, settings);

        TaskDefinition = WorkerTaskDefinition.Create(
            this,
            "TaskDefinition",
            settings,
            TaskRole,
            image,
            LogGroup,
            "service",
            WorkerContract.RunCommand,
            Environment,
            new Amazon.CDK.AWS.ECS.HealthCheck
            {
                Command = [.. WorkerContract.HealthCheckCommand],
                Interval = Duration.Seconds(30),
                Timeout = Duration.Seconds(5),
                StartPeriod = Duration.Seconds(30),
                Retries = 3,
            });

        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = Cluster,
            TaskDefinition = TaskDefinition,
            AssignPublicIp = true,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            MinHealthyPercent = 100,
            MaxHealthyPercent = 200,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            PlatformVersion = FargatePlatformVersion.LATEST,
            // Spot: SIGTERM comes two minutes before the reclaim, longer than the stopTimeout, so the drain completes.
            CapacityProviderStrategies = settings.FargateSpot
                ? [new CapacityProviderStrategy { CapacityProvider = "FARGATE_SPOT", Weight = 1 }]
                : null,
        });

        // A Spot strategy names FARGATE_SPOT, which CloudFormation rejects until the cluster's capacity provider
        // association exists; CDK 2.160 does not order the two, so the service depends on the whole cluster.
        Service.Node.AddDependency(Cluster);
    }

    public Vpc Vpc { get; }

    public Cluster Cluster { get; }

    public LogGroup LogGroup { get; }

    public Role TaskRole { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public FargateService Service { get; }

    public IDictionary<string, string> Environment { get; }

    /// <summary>Rules from S3 and the KMS keys: the same for every role that runs the filter.</summary>
    public static void AddCommonStatements(Role role, DeploySettings settings)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RulesS3Path is { } rules)
        {
            role.AddToPolicy(TaskPermissions.ReadRules(rules));
        }

        if (settings.DetectionsS3Path is { } detections)
        {
            role.AddToPolicy(TaskPermissions.ReadRules(detections, "ReadDetections"));
        }

        foreach (var statement in TaskPermissions.DecryptSource(settings).Concat(TaskPermissions.UseOutputKey(settings)))
        {
            role.AddToPolicy(statement);
        }
    }
}
