using System.Text.Json.Nodes;
using TrailSieve.Deploy.Infrastructure;
using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class QueueDepthScalingTests(DefaultTemplate defaults, VariantTemplate variant)
{
    [Fact]
    public void TargetTracking_Default_TracksVisibleMessagesPerRunningTaskByMetricMath()
    {
        var configuration = TargetTracking(defaults);
        var metrics = configuration["CustomizedMetricSpecification"]!["Metrics"]!.AsArray().ToDictionary(m => (string)m!["Id"]!, m => m!);

        var visible = metrics[QueueDepthScaling.VisibleId]["MetricStat"]!["Metric"]!;
        Assert.Equal("AWS/SQS", (string?)visible["Namespace"]);
        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)visible["MetricName"]);
        Assert.Equal("QueueName", (string?)visible["Dimensions"]![0]!["Name"]);
        Assert.Equal(defaults.LogicalId("AWS::SQS::Queue", "NotificationsQueue"), (string?)visible["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]);

        var running = metrics[QueueDepthScaling.RunningId]["MetricStat"]!["Metric"]!;
        Assert.Equal("ECS/ContainerInsights", (string?)running["Namespace"]);
        Assert.Equal("RunningTaskCount", (string?)running["MetricName"]);
        Assert.Equal(["ClusterName", "ServiceName"], running["Dimensions"]!.AsArray().Select(d => (string)d!["Name"]!));

        var ratio = metrics[QueueDepthScaling.BacklogPerTaskId];
        Assert.Equal("visible / running", (string?)ratio["Expression"]);
        Assert.True((bool)ratio["ReturnData"]!);
        Assert.False((bool)metrics[QueueDepthScaling.VisibleId]["ReturnData"]!);
        Assert.False((bool)metrics[QueueDepthScaling.RunningId]["ReturnData"]!);
    }

    [Fact]
    public void TargetValue_Default_IsTwentyMessagesPerSecondTimesThreeHundredSeconds()
    {
        Assert.Equal(6000, (double)TargetTracking(defaults)["TargetValue"]!);
    }

    [Fact]
    public void TargetValue_Variant_IsMessagesPerTaskPerSecondTimesAcceptableLatency()
    {
        Assert.Equal(12.5 * 120, (double)TargetTracking(variant)["TargetValue"]!);
    }

    [Fact]
    public void Cooldowns_AnyVariant_AreTheConfiguredOnes()
    {
        Assert.Equal(300, (int)TargetTracking(defaults)["ScaleInCooldown"]!);
        Assert.Equal(60, (int)TargetTracking(defaults)["ScaleOutCooldown"]!);
        Assert.Equal(600, (int)TargetTracking(variant)["ScaleInCooldown"]!);
        Assert.Equal(30, (int)TargetTracking(variant)["ScaleOutCooldown"]!);
    }

    [Fact]
    public void ScalableTarget_AnyVariant_ServiceDesiredCountBetweenMinAndMax()
    {
        var target = Properties(defaults.Resources("AWS::ApplicationAutoScaling::ScalableTarget").Single().Resource);
        var other = Properties(variant.Resources("AWS::ApplicationAutoScaling::ScalableTarget").Single().Resource);

        Assert.Equal("ecs:service:DesiredCount", (string?)target["ScalableDimension"]);
        Assert.Equal("ecs", (string?)target["ServiceNamespace"]);
        Assert.Equal(1, (int)target["MinCapacity"]!);
        Assert.Equal(10, (int)target["MaxCapacity"]!);
        Assert.Equal(0, (int)other["MinCapacity"]!);
        Assert.Equal(25, (int)other["MaxCapacity"]!);
        Assert.Contains("AWSServiceRoleForApplicationAutoScaling_ECSService", Json.Text(target["RoleARN"]), StringComparison.Ordinal);
    }

    [Fact]
    public void WakeUp_MinOne_NoStepPolicy()
    {
        var policies = defaults.Resources("AWS::ApplicationAutoScaling::ScalingPolicy").Select(p => (string?)Properties(p.Resource)["PolicyType"]);

        Assert.Equal(["TargetTrackingScaling"], policies);
    }

    [Fact]
    public void WakeUp_MinZero_StepPolicySetsOneTaskWhenMessagesWaitAndNoneRuns()
    {
        var step = variant.Resources("AWS::ApplicationAutoScaling::ScalingPolicy").Single(p => (string?)Properties(p.Resource)["PolicyType"] == "StepScaling");
        var configuration = Properties(step.Resource)["StepScalingPolicyConfiguration"]!;
        var alarm = Properties(variant.Resource("AWS::CloudWatch::Alarm", "ScalingWakeUpAlarm"));

        Assert.Equal("ExactCapacity", (string?)configuration["AdjustmentType"]);
        var adjustment = configuration["StepAdjustments"]!.AsArray().Single()!;
        Assert.Equal(1, (int)adjustment["ScalingAdjustment"]!);
        Assert.Equal(0, (int)adjustment["MetricIntervalLowerBound"]!);
        Assert.Equal(step.Id, (string?)alarm["AlarmActions"]![0]!["Ref"]);
        Assert.Contains(alarm["Metrics"]!.AsArray(), m => (string?)m!["Expression"] == "IF(FILL(running, 0) == 0 AND visible > 0, 1, 0)");
        Assert.Equal(1, (int)alarm["Threshold"]!);
    }

    private static JsonObject TargetTracking(SynthesizedTemplate stack) =>
        Properties(stack.Resources("AWS::ApplicationAutoScaling::ScalingPolicy")
            .Single(p => (string?)Properties(p.Resource)["PolicyType"] == "TargetTrackingScaling").Resource)["TargetTrackingScalingPolicyConfiguration"]!.AsObject();
}
