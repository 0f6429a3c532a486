using TrailSieve.Deploy.Tests.TestSupport;
using static TrailSieve.Deploy.Tests.TestSupport.SynthesizedTemplate;

namespace TrailSieve.Deploy.Tests.Infrastructure;

[Collection(SharedSynthesis.Name)]
[Trait("Category", "Integration")]
public sealed class NotificationQueueTests(DefaultTemplate stack)
{
    [Fact]
    public void Queue_Default_RedrivesToTheDeadLetterQueueAfterFiveReceives()
    {
        // Given the default stack
        var queue = Properties(stack.Resource("AWS::SQS::Queue", "NotificationsQueue"));
        var dlqId = stack.LogicalId("AWS::SQS::Queue", "NotificationsDeadLetterQueue");

        // Then the redrive policy points at the DLQ with maxReceiveCount 5
        var redrive = queue["RedrivePolicy"]!;
        Assert.Equal(5, (int)redrive["maxReceiveCount"]!);
        Assert.Equal(dlqId, (string?)redrive["deadLetterTargetArn"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void Queues_Default_AreEncryptedWithSqsManagedKeys()
    {
        var queues = stack.Resources("AWS::SQS::Queue").ToList();

        Assert.Equal(2, queues.Count);
        Assert.All(queues, q => Assert.True((bool)Properties(q.Resource)["SqsManagedSseEnabled"]!));
    }

    [Fact]
    public void Queue_Default_VisibilityTimeoutIsTheWorkersAndLongPolls()
    {
        var queue = Properties(stack.Resource("AWS::SQS::Queue", "NotificationsQueue"));

        Assert.Equal(WorkerContract.DefaultVisibilityTimeoutSeconds, (int)queue["VisibilityTimeout"]!);
        Assert.Equal(20, (int)queue["ReceiveMessageWaitTimeSeconds"]!);
        Assert.Equal(14 * 24 * 3600, (int)Properties(stack.Resource("AWS::SQS::Queue", "NotificationsDeadLetterQueue"))["MessageRetentionPeriod"]!);
    }

    [Fact]
    public void QueuePolicy_S3Notifications_AllowsS3OnlyFromTheCloudTrailBucket()
    {
        var queueId = stack.LogicalId("AWS::SQS::Queue", "NotificationsQueue");
        var policy = stack.Resources("AWS::SQS::QueuePolicy")
            .Single(p => Properties(p.Resource)["Queues"]!.AsArray().Any(q => (string?)q!["Ref"] == queueId)).Resource;

        var allow = Properties(policy)["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Effect"] == "Allow")!;

        Assert.Equal("s3.amazonaws.com", (string?)allow["Principal"]!["Service"]);
        Assert.Contains("sqs:SendMessage", Json.Strings(allow["Action"]));
        Assert.Equal($"arn:${{AWS::Partition}}:s3:::{StackContexts.SourceBucket}", Json.Flat(allow["Condition"]!["ArnLike"]!["aws:SourceArn"]));
    }

    [Fact]
    public void BucketNotification_S3Notifications_OnTheImportedBucketWithThePrefixFilter()
    {
        var notification = Properties(stack.Resources("Custom::S3BucketNotifications").Single().Resource);

        Assert.Equal(StackContexts.SourceBucket, (string?)notification["BucketName"]);
        Assert.False((bool)notification["Managed"]!); // merges with the bucket's existing notifications
        var configuration = notification["NotificationConfiguration"]!["QueueConfigurations"]!.AsArray().Single()!;
        Assert.Equal(["s3:ObjectCreated:*"], Json.Strings(configuration["Events"]));
        var rule = configuration["Filter"]!["Key"]!["FilterRules"]!.AsArray().Single()!;
        Assert.Equal("prefix", (string?)rule["Name"]);
        Assert.Equal("AWSLogs/", (string?)rule["Value"]);
        Assert.Empty(stack.Resources("AWS::SNS::Subscription"));
    }
}
