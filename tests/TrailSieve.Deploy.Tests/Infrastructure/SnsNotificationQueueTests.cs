using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class SnsNotificationQueueTests(VariantTemplate stack)
{
    [Fact]
    public void Subscription_SnsSource_SubscribesTheQueueWithRawDeliveryOff()
    {
        var subscription = Properties(stack.Resources("AWS::SNS::Subscription").Single().Resource);

        Assert.Equal("sqs", (string?)subscription["Protocol"]);
        Assert.Equal(StackContexts.SourceTopicArn, (string?)subscription["TopicArn"]);
        // The worker parses SNS-wrapped S3 events: raw delivery must be off (absent means off).
        Assert.False(subscription["RawMessageDelivery"] is { } raw && (bool)raw);
        Assert.Equal(stack.LogicalId("AWS::SQS::Queue", "NotificationsQueue"), (string?)subscription["Endpoint"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void QueuePolicy_SnsSource_AllowsSnsOnlyFromTheTopicAndNoBucketNotificationExists()
    {
        var queueId = stack.LogicalId("AWS::SQS::Queue", "NotificationsQueue");
        var policy = stack.Resources("AWS::SQS::QueuePolicy")
            .Single(p => Properties(p.Resource)["Queues"]!.AsArray().Any(q => (string?)q!["Ref"] == queueId)).Resource;
        var allow = Properties(policy)["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Effect"] == "Allow")!;

        Assert.Equal("sns.amazonaws.com", (string?)allow["Principal"]!["Service"]);
        Assert.Equal(StackContexts.SourceTopicArn, (string?)allow["Condition"]!["ArnEquals"]!["aws:SourceArn"]);
        Assert.Empty(stack.Resources("Custom::S3BucketNotifications"));
    }
}
