using Amazon.CDK.Assertions;
using TrailSieve.Deploy.Tests.TestSupport;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class ResourceCountTests(DefaultTemplate defaults, VariantTemplate variant)
{
    public static TheoryData<string, int> DefaultCounts => new()
    {
        { "AWS::SQS::Queue", 2 },
        { "AWS::SQS::QueuePolicy", 2 },
        { "AWS::S3::Bucket", 1 },
        { "Custom::S3BucketNotifications", 1 },
        { "AWS::SNS::Subscription", 0 },
        { "AWS::EC2::VPC", 1 },
        { "AWS::EC2::NatGateway", 0 },
        { "AWS::EC2::VPCEndpoint", 1 },
        { "AWS::ECS::Cluster", 1 },
        { "AWS::ECS::Service", 1 },
        { "AWS::ECS::TaskDefinition", 3 },
        { "AWS::Logs::LogGroup", 1 },
        { "AWS::ApplicationAutoScaling::ScalableTarget", 1 },
        { "AWS::ApplicationAutoScaling::ScalingPolicy", 1 },
        { "AWS::CloudWatch::Alarm", 5 },
        { "AWS::Logs::MetricFilter", 2 },
        { "AWS::CloudWatch::Dashboard", 1 },
        { "AWS::Glue::Database", 1 },
        { "AWS::Glue::Table", 1 },
        { "AWS::Athena::WorkGroup", 1 },
        { "AWS::Events::Rule", 1 },
    };

    public static TheoryData<string, int> VariantCounts => new()
    {
        { "AWS::SNS::Subscription", 1 },
        { "Custom::S3BucketNotifications", 0 },
        { "AWS::Lambda::Function", 0 },
        { "AWS::ApplicationAutoScaling::ScalingPolicy", 2 }, // target tracking + the 0 -> 1 step policy
        { "AWS::CloudWatch::Alarm", 6 },                     // the five, plus the 0 -> 1 alarm
        { "AWS::ECS::TaskDefinition", 3 },
    };

    [Theory]
    [MemberData(nameof(DefaultCounts))]
    public void ResourceCount_Default_IsExpected(string type, int count) => defaults.Template.ResourceCountIs(type, count);

    [Theory]
    [MemberData(nameof(VariantCounts))]
    public void ResourceCount_Variant_IsExpected(string type, int count) => variant.Template.ResourceCountIs(type, count);

    [Fact]
    public void Queue_Default_MatchesWithCdkAssertions()
    {
        defaults.Template.HasResourceProperties("AWS::SQS::Queue", Match.ObjectLike(new Dictionary<string, object>
        {
            ["RedrivePolicy"] = Match.ObjectLike(new Dictionary<string, object> { ["maxReceiveCount"] = 5 }),
            ["SqsManagedSseEnabled"] = true,
        }));
    }
}
