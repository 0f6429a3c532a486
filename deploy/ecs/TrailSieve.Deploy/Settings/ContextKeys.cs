namespace TrailSieve.Deploy.Settings;

/// <summary>The CDK context keys (<c>-c key=value</c>) the app reads; deploy/ecs/README.md lists them with their defaults.</summary>
public static class ContextKeys
{
    public const string StackName = "stackName";
    public const string SourceBucketName = "sourceBucketName";
    public const string SourcePrefix = "sourcePrefix";
    public const string NotificationSource = "notificationSource";
    public const string SourceTopicArn = "sourceTopicArn";
    public const string SourceKmsKeyArns = "sourceKmsKeyArns";
    public const string OutputBucketName = "outputBucketName";
    public const string OutputPrefix = "outputPrefix";
    public const string OutputKmsKeyArn = "outputKmsKeyArn";
    public const string OutputExpireDays = "outputExpireDays";
    public const string OutputTransitionDays = "outputTransitionDays";
    public const string OutputVersioned = "outputVersioned";
    public const string ImageRepositoryUri = "imageRepositoryUri";
    public const string ImageTag = "imageTag";
    public const string ImageAssetDirectory = "imageAssetDirectory";
    public const string RulesS3Path = "rulesS3Path";
    public const string Detections = "detections";
    public const string Cpu = "cpu";
    public const string MemoryMiB = "memoryMiB";
    public const string FargateSpot = "fargateSpot";
    public const string MinTasks = "minTasks";
    public const string MaxTasks = "maxTasks";
    public const string MessagesPerTaskPerSecond = "messagesPerTaskPerSecond";
    public const string AcceptableLatencySeconds = "acceptableLatencySeconds";
    public const string ScaleInCooldownSeconds = "scaleInCooldownSeconds";
    public const string ScaleOutCooldownSeconds = "scaleOutCooldownSeconds";
    public const string DrainTimeoutSeconds = "drainTimeoutSeconds";
    public const string BatchMaxAgeSeconds = "batchMaxAgeSeconds";
    public const string VisibilityTimeoutSeconds = "visibilityTimeoutSeconds";
    public const string MaxReceiveCount = "maxReceiveCount";
    public const string LogRetentionDays = "logRetentionDays";
    public const string MetricsNamespace = "metricsNamespace";
    public const string AlarmTopicArn = "alarmTopicArn";
    public const string OldestMessageAlarmSeconds = "oldestMessageAlarmSeconds";
    public const string GlueDatabaseName = "glueDatabaseName";
    public const string GlueTableName = "glueTableName";
    public const string ProjectionAccounts = "projectionAccounts";
    public const string ProjectionRegions = "projectionRegions";
    public const string ProjectionFirstYear = "projectionFirstYear";
    public const string ProjectionLastYear = "projectionLastYear";
    public const string AthenaWorkGroupName = "athenaWorkGroupName";
    public const string MonthlyReport = "monthlyReport";
    public const string ReportEphemeralStorageGiB = "reportEphemeralStorageGiB";
    public const string Bootstrapless = "bootstrapless";
}
