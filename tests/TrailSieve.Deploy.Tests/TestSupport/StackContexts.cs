namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>The context of the two synthesised variants: the defaults, and every option turned the other way.</summary>
public static class StackContexts
{
    public const string SourceBucket = "acme-cloudtrail";
    public const string OutputBucket = "acme-trailsieve-output";
    public const string RepositoryUri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/trailsieve";
    public const string SourceTopicArn = "arn:aws:sns:eu-west-1:123456789012:cloudtrail-delivery";
    public const string AlarmTopicArn = "arn:aws:sns:eu-west-1:123456789012:ops-alarms";
    public const string SourceKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    public const string OutputKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000";
    public const string RulesS3Path = "s3://acme-config/trailsieve/rules.yaml";
    public const string DetectionsS3Path = "s3://acme-config/trailsieve/detections.yaml";

    /// <summary>Only what is required: S3 notifications, ECR image, S3-managed encryption, no alarm topic, no Spot, min 1.</summary>
    public static Dictionary<string, object> Default() => new()
    {
        ["sourceBucketName"] = SourceBucket,
        ["outputBucketName"] = OutputBucket,
        ["imageRepositoryUri"] = RepositoryUri,
        ["imageTag"] = "1.4.2",
    };

    /// <summary>SNS subscription, KMS, lifecycle, versioning, Spot, alarm topic, min 0, rules in S3, an image asset.</summary>
    public static Dictionary<string, object> Variant(string assetDirectory) => new()
    {
        ["stackName"] = "TrailSieveVariant",
        ["sourceBucketName"] = SourceBucket,
        ["sourcePrefix"] = "AWSLogs/o-abc123/",
        ["notificationSource"] = "sns",
        ["sourceTopicArn"] = SourceTopicArn,
        ["sourceKmsKeyArns"] = SourceKeyArn,
        ["outputBucketName"] = OutputBucket,
        ["outputPrefix"] = "filtered/",
        ["outputKmsKeyArn"] = OutputKeyArn,
        ["outputExpireDays"] = "400",
        ["outputTransitionDays"] = 90,
        ["outputVersioned"] = "true",
        ["imageAssetDirectory"] = assetDirectory,
        ["rulesS3Path"] = RulesS3Path,
        ["detections"] = DetectionsS3Path,
        ["cpu"] = "2048",
        ["memoryMiB"] = "4096",
        ["fargateSpot"] = true,
        ["minTasks"] = "0",
        ["maxTasks"] = "25",
        ["messagesPerTaskPerSecond"] = "12.5",
        ["acceptableLatencySeconds"] = "120",
        ["scaleInCooldownSeconds"] = "600",
        ["scaleOutCooldownSeconds"] = "30",
        ["drainTimeoutSeconds"] = "90",
        ["batchMaxAgeSeconds"] = "300",
        ["logRetentionDays"] = "90",
        ["metricsNamespace"] = "Acme/TrailSieve",
        ["alarmTopicArn"] = AlarmTopicArn,
        ["oldestMessageAlarmSeconds"] = "600",
        ["projectionAccounts"] = "111111111111,222222222222",
        ["projectionRegions"] = "eu-west-1,us-east-1",
        ["projectionFirstYear"] = "2020",
        ["projectionLastYear"] = "2030",
        ["reportEphemeralStorageGiB"] = "100",
    };
}
