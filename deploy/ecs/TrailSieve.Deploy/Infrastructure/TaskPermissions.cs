using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SQS;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// The policy statements of the task roles, written out instead of the L2 <c>grant*</c> helpers (which add
/// <c>s3:GetObject*</c>, <c>s3:List*</c> and friends): each names its actions and a bucket, prefix, queue or key ARN.
/// </summary>
internal static class TaskPermissions
{
    public static PolicyStatement ConsumeQueue(IQueue queue) => new(new PolicyStatementProps
    {
        Sid = "ConsumeQueue",
        Actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resources = [queue.QueueArn],
    });

    /// <summary>For <c>trailsieve backfill --enqueue</c>, which fans objects out to the service through the queue.</summary>
    public static PolicyStatement EnqueueObjects(IQueue queue) => new(new PolicyStatementProps
    {
        Sid = "EnqueueObjects",
        Actions = ["sqs:SendMessage", "sqs:GetQueueAttributes"],
        Resources = [queue.QueueArn],
    });

    public static PolicyStatement ReadObjects(string sid, IBucket bucket, string prefix) => new(new PolicyStatementProps
    {
        Sid = sid,
        Actions = ["s3:GetObject"],
        Resources = [bucket.ArnForObjects(prefix + "*")],
    });

    /// <summary>
    /// Backfill's checkpoints: read and replace documents under <c>checkpoints/</c> of the output bucket, and list that
    /// prefix only, which is what lets S3 answer "not found" (404) instead of 403 for a checkpoint not written yet.
    /// </summary>
    public static IEnumerable<PolicyStatement> KeepCheckpoints(IBucket bucket)
    {
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "KeepCheckpoints",
            Actions = ["s3:GetObject", "s3:PutObject"],
            Resources = [bucket.ArnForObjects(DeploySettings.CheckpointsPrefix + "*")],
        });
        yield return ListPrefix("ListCheckpoints", bucket, DeploySettings.CheckpointsPrefix);
    }

    /// <summary>s3:ListBucket on the bucket, limited to keys under the prefix when there is one.</summary>
    public static PolicyStatement ListPrefix(string sid, IBucket bucket, string prefix)
    {
        var statement = new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid,
            Actions = ["s3:ListBucket"],
            Resources = [bucket.BucketArn],
        });
        if (prefix.Length > 0)
        {
            statement.AddCondition("StringLike", new Dictionary<string, object> { ["s3:prefix"] = new[] { prefix + "*" } });
        }

        return statement;
    }

    /// <summary>
    /// The delivery ledger of batch mode (Output:ExactlyOnce): read a marker under <c>{prefix}_ledger/</c> and see
    /// whether a batch exists (HeadObject needs s3:GetObject), and list the output prefix, which is what lets S3 answer
    /// 404 instead of 403 for a batch that never appeared.
    /// </summary>
    public static IEnumerable<PolicyStatement> KeepLedger(IBucket bucket, string prefix)
    {
        yield return ReadObjects("ReadOutput", bucket, prefix);
        yield return ListPrefix("ListOutput", bucket, prefix);
    }

    /// <summary>PutObject covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload; the abort is its own action.</summary>
    public static PolicyStatement WriteObjects(string sid, IBucket bucket, params string[] prefixes) => new(new PolicyStatementProps
    {
        Sid = sid,
        Actions = ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resources = [.. prefixes.Select(prefix => bucket.ArnForObjects(prefix + "*"))],
    });

    public static PolicyStatement ReadRules(string s3Path, string sid = "ReadRules")
    {
        var path = s3Path["s3://".Length..];
        return new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid,
            Actions = ["s3:GetObject"],
            Resources = [$"arn:{Aws.PARTITION}:s3:::{path}"],
        });
    }

    /// <summary>kms:Decrypt on the keys of the CloudTrail bucket (or its topic/queue), when any are configured.</summary>
    public static IEnumerable<PolicyStatement> DecryptSource(DeploySettings settings)
    {
        if (settings.SourceKmsKeyArns.Count > 0)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "DecryptSource",
                Actions = ["kms:Decrypt"],
                Resources = [.. settings.SourceKmsKeyArns],
            });
        }
    }

    /// <summary>SSE-KMS output: GenerateDataKey to write, Decrypt for multipart uploads and to read back.</summary>
    public static IEnumerable<PolicyStatement> UseOutputKey(DeploySettings settings)
    {
        if (settings.OutputKmsKeyArn is { } key)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "UseOutputKey",
                Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
                Resources = [key],
            });
        }
    }
}
