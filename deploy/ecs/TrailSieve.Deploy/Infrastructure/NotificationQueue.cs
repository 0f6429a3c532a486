using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Notifications;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// The queue the service reads, its dead-letter queue, and what feeds it: an S3 event notification on the existing
/// CloudTrail bucket, or a subscription to an existing SNS topic. Both add the queue policy that lets the sender in,
/// scoped to the bucket or topic ARN.
/// </summary>
internal sealed class NotificationQueue : Construct
{
    public NotificationQueue(Construct scope, string id, DeploySettings settings)
        : base(scope, id)
    {
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });

        // The worker asks for its own visibility timeout on every receive and extends it; the queue's default is the
        // same value so that any other consumer (the console, a redrive) sees the same behaviour.
        Queue = new Queue(this, "Queue", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            VisibilityTimeout = Duration.Seconds(settings.VisibilityTimeoutSeconds),
            ReceiveMessageWaitTime = Duration.Seconds(20),
            RetentionPeriod = Duration.Days(4),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = settings.MaxReceiveCount },
        });

        SourceBucket = Bucket.FromBucketName(this, "SourceBucket", settings.SourceBucketName);
        if (settings.NotificationSource == NotificationSource.Sns)
        {
            var topic = Topic.FromTopicArn(this, "SourceTopic", settings.SourceTopicArn!);
            topic.AddSubscription(new SqsSubscription(Queue, new SqsSubscriptionProps { RawMessageDelivery = false }));
        }
        else
        {
            var filters = settings.SourcePrefix.Length == 0 ? [] : new[] { new NotificationKeyFilter { Prefix = settings.SourcePrefix } };
            SourceBucket.AddEventNotification(EventType.OBJECT_CREATED, new SqsDestination(Queue), filters);
            ScopeNotificationHandler(SourceBucket.BucketArn);
        }
    }

    /// <summary>The id CDK gives its one bucket-notifications Lambda per stack.</summary>
    public const string NotificationHandlerId = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834";

    public Queue Queue { get; }

    public Queue DeadLetterQueue { get; }

    public IBucket SourceBucket { get; }

    /// <summary>
    /// CDK's notification Lambda gets s3:PutBucketNotification and s3:GetBucketNotification on every bucket ("*").
    /// It only ever touches the CloudTrail bucket, so its statements are narrowed to that bucket's ARN.
    /// </summary>
    private void ScopeNotificationHandler(string bucketArn)
    {
        var handler = Stack.Of(this).Node.TryFindChild(NotificationHandlerId)
            ?? throw new InvalidOperationException($"CDK's bucket notification handler ({NotificationHandlerId}) is not where this CDK version is expected to put it");
        foreach (var policy in handler.Node.FindAll().OfType<Amazon.CDK.AWS.IAM.Policy>())
        {
            var resource = (Amazon.CDK.AWS.IAM.CfnPolicy)policy.Node.DefaultChild!;
            for (var i = 0; i < policy.Document.StatementCount; i++)
            {
                resource.AddPropertyOverride($"PolicyDocument.Statement.{i}.Resource", bucketArn);
            }
        }
    }
}
