using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.IAM;
using Constructs;
using TrailSieve.Deploy.Settings;
using static Amazon.CDK.AWS.ApplicationAutoScaling.CfnScalingPolicy;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// Target tracking on the backlog per task: ApproximateNumberOfMessagesVisible (AWS/SQS) divided by RunningTaskCount
/// (ECS/ContainerInsights), held at <see cref="DeploySettings.BacklogPerTaskTarget"/>. With a minimum of 0 tasks the
/// ratio has no value (0 / 0), so a step policy sets the count to 1 when messages wait and no task runs.
/// </summary>
internal sealed class QueueDepthScaling : Construct
{
    public const string VisibleId = "visible";
    public const string RunningId = "running";
    public const string BacklogPerTaskId = "backlogPerTask";

    public QueueDepthScaling(Construct scope, string id, DeploySettings settings, NotificationQueue queue, WorkerService service)
        : base(scope, id)
    {
        Target = new ScalableTarget(this, "Target", new ScalableTargetProps
        {
            ServiceNamespace = ServiceNamespace.ECS,
            ResourceId = $"service/{service.Cluster.ClusterName}/{service.Service.ServiceName}",
            ScalableDimension = "ecs:service:DesiredCount",
            MinCapacity = settings.MinTasks,
            MaxCapacity = settings.MaxTasks,
            // ECS's service-linked role for Application Auto Scaling, as the L2 autoScaleTaskCount uses; a role of
            // our own would need ecs:UpdateService and cloudwatch alarm permissions spelled out.
            Role = Role.FromRoleArn(this, "ServiceLinkedRole", $"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"),
        });
        Target.Node.AddDependency(service.Service);

        var visible = AverageOf(VisibleId, "AWS/SQS", "ApproximateNumberOfMessagesVisible", ("QueueName", queue.Queue.QueueName));
        var running = AverageOf(
            RunningId, "ECS/ContainerInsights", "RunningTaskCount", ("ClusterName", service.Cluster.ClusterName), ("ServiceName", service.Service.ServiceName));
        var backlogPerTask = new TargetTrackingMetricDataQueryProperty
        {
            Id = BacklogPerTaskId,
            Label = "Visible messages per running task",
            Expression = $"{VisibleId} / {RunningId}",
            ReturnData = true,
        };

        Policy = new CfnScalingPolicy(this, "BacklogPerTask", new CfnScalingPolicyProps
        {
            PolicyName = "backlog-per-task",
            PolicyType = "TargetTrackingScaling",
            ScalingTargetId = Target.ScalableTargetId,
            TargetTrackingScalingPolicyConfiguration = new TargetTrackingScalingPolicyConfigurationProperty
            {
                TargetValue = settings.BacklogPerTaskTarget,
                ScaleInCooldown = settings.ScaleInCooldownSeconds,
                ScaleOutCooldown = settings.ScaleOutCooldownSeconds,
                DisableScaleIn = false,
                CustomizedMetricSpecification = new CustomizedMetricSpecificationProperty
                {
                    Metrics = new ITargetTrackingMetricDataQueryProperty[] { visible, running, backlogPerTask },
                },
            },
        });

        if (settings.MinTasks == 0)
        {
            WakeUp = AddWakeUp(settings, queue, service);
        }
    }

    public ScalableTarget Target { get; }

    public CfnScalingPolicy Policy { get; }

    /// <summary>The 0 → 1 alarm, only when the minimum is 0 tasks.</summary>
    public Alarm? WakeUp { get; }

    private Alarm AddWakeUp(DeploySettings settings, NotificationQueue queue, WorkerService service)
    {
        var period = Duration.Minutes(1);
        var visible = queue.Queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = period, Statistic = "Maximum" });
        var running = new Metric(new MetricProps
        {
            Namespace = "ECS/ContainerInsights",
            MetricName = "RunningTaskCount",
            DimensionsMap = new Dictionary<string, string>
            {
                ["ClusterName"] = service.Cluster.ClusterName,
                ["ServiceName"] = service.Service.ServiceName,
            },
            Period = period,
            Statistic = "Maximum",
        });
        var action = new StepScalingAction(this, "WakeUpAction", new StepScalingActionProps
        {
            ScalingTarget = Target,
            AdjustmentType = AdjustmentType.EXACT_CAPACITY,
            Cooldown = Duration.Seconds(settings.ScaleOutCooldownSeconds),
        });
        action.AddAdjustment(new AdjustmentTier { Adjustment = 1, LowerBound = 0 });
        var alarm = new Alarm(this, "WakeUpAlarm", new AlarmProps
        {
            AlarmDescription = "Messages wait and no task runs: start one (target tracking cannot divide by 0 tasks)",
            Metric = new MathExpression(new MathExpressionProps
            {
                // A service with no task may publish no RunningTaskCount at all: FILL makes that 0.
                Expression = $"IF(FILL({RunningId}, 0) == 0 AND {VisibleId} > 0, 1, 0)",
                UsingMetrics = new Dictionary<string, IMetric> { [VisibleId] = visible, [RunningId] = running },
                Period = period,
            }),
            Threshold = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        alarm.AddAlarmAction(new ApplicationScalingAction(action));
        return alarm;
    }


    /// <summary>One metric of the backlog-per-task expression: its Average, an input to the math, not returned itself.</summary>
    private static TargetTrackingMetricDataQueryProperty AverageOf(string id, string metricNamespace, string metricName, params (string Name, string Value)[] dimensions) => new()
    {
        Id = id,
        ReturnData = false,
        MetricStat = new TargetTrackingMetricStatProperty
        {
            Stat = "Average",
            Metric = new TargetTrackingMetricProperty
            {
                Namespace = metricNamespace,
                MetricName = metricName,
                Dimensions = dimensions
                    .Select(d => (ITargetTrackingMetricDimensionProperty)new TargetTrackingMetricDimensionProperty { Name = d.Name, Value = d.Value })
                    .ToArray(),
            },
        },
    };
}
