using System.Globalization;
using System.Text.RegularExpressions;

namespace TrailSieve.Deploy.Settings;

/// <summary>
/// Everything the stack is parameterised by, read from CDK context and validated before any construct is made: a
/// missing or invalid value stops the synth with a message naming its context key (<see cref="ContextKeys"/>).
/// </summary>
public sealed partial record DeploySettings
{
    /// <summary>Scaling defaults to tune from the bench: one task's sustained throughput, in SQS messages (CloudTrail files) per second.</summary>
    public const double DefaultMessagesPerTaskPerSecond = 20;

    /// <summary>Scaling default: how long a message may wait in the queue, in seconds, before more tasks are wanted.</summary>
    public const double DefaultAcceptableLatencySeconds = 300;

    /// <summary>Seconds between the worker's drain deadline and ECS's SIGKILL: the host's own 5 s margin plus slack.</summary>
    public const int StopTimeoutMarginSeconds = 15;

    /// <summary>Fargate's largest container stopTimeout.</summary>
    public const int MaxStopTimeoutSeconds = 120;

    /// <summary>Fargate CPU units and the memory (MiB) each allows.</summary>
    private static readonly Dictionary<int, (int Min, int Max, int Step)> s_fargateMemory = new()
    {
        [256] = (512, 2048, 512),
        [512] = (1024, 4096, 1024),
        [1024] = (2048, 8192, 1024),
        [2048] = (4096, 16384, 1024),
        [4096] = (8192, 30720, 1024),
        [8192] = (16384, 61440, 4096),
        [16384] = (32768, 122880, 8192),
    };

    /// <summary>Retention periods CloudWatch Logs accepts.</summary>
    private static readonly int[] s_logRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public string StackName { get; init; } = "TrailSieve";
    public required string SourceBucketName { get; init; }
    public string SourcePrefix { get; init; } = "AWSLogs/";
    public NotificationSource NotificationSource { get; init; } = NotificationSource.S3;
    public string? SourceTopicArn { get; init; }
    public IReadOnlyList<string> SourceKmsKeyArns { get; init; } = [];
    public string? OutputBucketName { get; init; }
    public string OutputPrefix { get; init; } = "records/";
    public string? OutputKmsKeyArn { get; init; }
    public int? OutputExpireDays { get; init; }
    public int? OutputTransitionDays { get; init; }
    public bool OutputVersioned { get; init; }
    public string? ImageRepositoryUri { get; init; }
    public string? ImageTag { get; init; }
    public string? ImageAssetDirectory { get; init; }
    public string? RulesS3Path { get; init; }

    /// <summary>
    /// Detections for the service and backfill: <c>bundled</c> (default: the image's rules/detections packs, so the
    /// Findings alarm has something to watch), <c>none</c>, or an <c>s3://bucket/key</c> detection file.
    /// </summary>
    public string Detections { get; init; } = BundledDetections;

    public const string BundledDetections = "bundled";

    public const string NoDetections = "none";

    /// <summary>The detection file in S3, when <see cref="Detections"/> names one.</summary>
    public string? DetectionsS3Path => Detections.StartsWith("s3://", StringComparison.Ordinal) ? Detections : null;
    public int Cpu { get; init; } = 1024;
    public int MemoryMiB { get; init; } = 2048;
    public bool FargateSpot { get; init; }
    public int MinTasks { get; init; } = 1;
    public int MaxTasks { get; init; } = 10;
    public double MessagesPerTaskPerSecond { get; init; } = DefaultMessagesPerTaskPerSecond;
    public double AcceptableLatencySeconds { get; init; } = DefaultAcceptableLatencySeconds;
    public int ScaleInCooldownSeconds { get; init; } = 300;
    public int ScaleOutCooldownSeconds { get; init; } = 60;
    public int DrainTimeoutSeconds { get; init; } = WorkerContract.DefaultDrainTimeoutSeconds;

    /// <summary>
    /// Output:MaxAge for the service. 15 min rather than the worker's 60 s: with ~1,700 account-regions each sending a
    /// trickle, a 60 s age flush writes more objects than came in (docs/design/scaling.md, "Cost per TB").
    /// </summary>
    public int BatchMaxAgeSeconds { get; init; } = 900;
    public int VisibilityTimeoutSeconds { get; init; } = WorkerContract.DefaultVisibilityTimeoutSeconds;
    public int MaxReceiveCount { get; init; } = 5;
    public int LogRetentionDays { get; init; } = 30;
    public string MetricsNamespace { get; init; } = WorkerContract.DefaultMetricsNamespace;
    public string? AlarmTopicArn { get; init; }
    public int OldestMessageAlarmSeconds { get; init; } = 900;
    public string GlueDatabaseName { get; init; } = "trailsieve";
    public string GlueTableName { get; init; } = "cloudtrail";
    public IReadOnlyList<string> ProjectionAccounts { get; init; } = [];
    public IReadOnlyList<string> ProjectionRegions { get; init; } = [];
    public int ProjectionFirstYear { get; init; } = 2013;
    public int ProjectionLastYear { get; init; } = 2035;
    public string AthenaWorkGroupName { get; init; } = "trailsieve";
    public bool MonthlyReport { get; init; } = true;

    /// <summary>Fargate's task storage when none is asked for.</summary>
    public const int FargateDefaultEphemeralStorageGiB = 20;

    /// <summary>Task storage of the report task (20 to 200 GiB); half of it is the report's spool limit.</summary>
    public int ReportEphemeralStorageGiB { get; init; } = FargateDefaultEphemeralStorageGiB;

    /// <summary>
    /// A template for plain CloudFormation (<c>aws cloudformation deploy</c>): no bootstrap version parameter or rule,
    /// so the account needs no <c>cdk bootstrap</c>. Needs a registry image: there is no asset bucket to publish to.
    /// </summary>
    public bool Bootstrapless { get; init; }

    /// <summary>
    /// Target of the backlog-per-task scaling policy: the messages one task clears within the acceptable latency.
    /// With the defaults, 20 msg/s × 300 s = 6,000 visible messages per running task.
    /// </summary>
    public double BacklogPerTaskTarget => MessagesPerTaskPerSecond * AcceptableLatencySeconds;

    /// <summary>The container's stopTimeout: the drain plus <see cref="StopTimeoutMarginSeconds"/>, at least ECS's default 30 s.</summary>
    public int StopTimeoutSeconds => Math.Max(30, DrainTimeoutSeconds + StopTimeoutMarginSeconds);

    public bool OutputUsesKms => OutputKmsKeyArn is not null;

    public bool ImageFromAsset => ImageAssetDirectory is not null;

    /// <summary>Reads and validates every setting; throws <see cref="InvalidContextException"/> naming the first bad key.</summary>
    public static DeploySettings FromContext(Func<string, object?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var c = new ContextReader(lookup);
        var defaults = new DeploySettings { SourceBucketName = "-" };
        var settings = new DeploySettings
        {
            StackName = c.String(ContextKeys.StackName, defaults.StackName),
            SourceBucketName = c.RequiredString(ContextKeys.SourceBucketName, "the name of the existing CloudTrail bucket"),
            SourcePrefix = c.OptionalString(ContextKeys.SourcePrefix) ?? defaults.SourcePrefix,
            NotificationSource = c.Choice(ContextKeys.NotificationSource, defaults.NotificationSource),
            SourceTopicArn = c.OptionalString(ContextKeys.SourceTopicArn),
            SourceKmsKeyArns = c.List(ContextKeys.SourceKmsKeyArns),
            OutputBucketName = c.OptionalString(ContextKeys.OutputBucketName),
            OutputPrefix = c.OptionalString(ContextKeys.OutputPrefix) ?? defaults.OutputPrefix,
            OutputKmsKeyArn = c.OptionalString(ContextKeys.OutputKmsKeyArn),
            OutputExpireDays = c.OptionalInt(ContextKeys.OutputExpireDays, 1, 36500),
            OutputTransitionDays = c.OptionalInt(ContextKeys.OutputTransitionDays, 30, 36500),
            OutputVersioned = c.Bool(ContextKeys.OutputVersioned, defaults.OutputVersioned),
            ImageRepositoryUri = c.OptionalString(ContextKeys.ImageRepositoryUri),
            ImageTag = c.OptionalString(ContextKeys.ImageTag),
            ImageAssetDirectory = c.OptionalString(ContextKeys.ImageAssetDirectory),
            RulesS3Path = c.OptionalString(ContextKeys.RulesS3Path),
            Detections = c.String(ContextKeys.Detections, defaults.Detections),
            Cpu = c.Int(ContextKeys.Cpu, defaults.Cpu, 256, 16384),
            MemoryMiB = c.Int(ContextKeys.MemoryMiB, defaults.MemoryMiB, 512, 122880),
            FargateSpot = c.Bool(ContextKeys.FargateSpot, defaults.FargateSpot),
            MinTasks = c.Int(ContextKeys.MinTasks, defaults.MinTasks, 0, 1000),
            MaxTasks = c.Int(ContextKeys.MaxTasks, defaults.MaxTasks, 1, 1000),
            MessagesPerTaskPerSecond = c.Double(ContextKeys.MessagesPerTaskPerSecond, defaults.MessagesPerTaskPerSecond, 0.01, 100_000),
            AcceptableLatencySeconds = c.Double(ContextKeys.AcceptableLatencySeconds, defaults.AcceptableLatencySeconds, 1, 86_400),
            ScaleInCooldownSeconds = c.Int(ContextKeys.ScaleInCooldownSeconds, defaults.ScaleInCooldownSeconds, 0, 86_400),
            ScaleOutCooldownSeconds = c.Int(ContextKeys.ScaleOutCooldownSeconds, defaults.ScaleOutCooldownSeconds, 0, 86_400),
            DrainTimeoutSeconds = c.Int(ContextKeys.DrainTimeoutSeconds, defaults.DrainTimeoutSeconds, 1, MaxStopTimeoutSeconds - StopTimeoutMarginSeconds),
            BatchMaxAgeSeconds = c.Int(ContextKeys.BatchMaxAgeSeconds, defaults.BatchMaxAgeSeconds, 1, 3600),
            VisibilityTimeoutSeconds = c.Int(ContextKeys.VisibilityTimeoutSeconds, defaults.VisibilityTimeoutSeconds, WorkerContract.DefaultExtensionThresholdSeconds + 1, 43_200),
            MaxReceiveCount = c.Int(ContextKeys.MaxReceiveCount, defaults.MaxReceiveCount, 1, 1000),
            LogRetentionDays = c.Int(ContextKeys.LogRetentionDays, defaults.LogRetentionDays, 1, 3653),
            MetricsNamespace = c.String(ContextKeys.MetricsNamespace, defaults.MetricsNamespace),
            AlarmTopicArn = c.OptionalString(ContextKeys.AlarmTopicArn),
            OldestMessageAlarmSeconds = c.Int(ContextKeys.OldestMessageAlarmSeconds, defaults.OldestMessageAlarmSeconds, 60, 1_209_600),
            GlueDatabaseName = c.String(ContextKeys.GlueDatabaseName, defaults.GlueDatabaseName),
            GlueTableName = c.String(ContextKeys.GlueTableName, defaults.GlueTableName),
            ProjectionAccounts = c.List(ContextKeys.ProjectionAccounts),
            ProjectionRegions = c.List(ContextKeys.ProjectionRegions),
            ProjectionFirstYear = c.Int(ContextKeys.ProjectionFirstYear, defaults.ProjectionFirstYear, 2013, 2100),
            ProjectionLastYear = c.Int(ContextKeys.ProjectionLastYear, defaults.ProjectionLastYear, 2013, 2100),
            AthenaWorkGroupName = c.String(ContextKeys.AthenaWorkGroupName, defaults.AthenaWorkGroupName),
            MonthlyReport = c.Bool(ContextKeys.MonthlyReport, defaults.MonthlyReport),
            ReportEphemeralStorageGiB = c.Int(ContextKeys.ReportEphemeralStorageGiB, defaults.ReportEphemeralStorageGiB, FargateDefaultEphemeralStorageGiB, 200),
            Bootstrapless = c.Bool(ContextKeys.Bootstrapless, defaults.Bootstrapless),
        };
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        Require(BucketName().IsMatch(SourceBucketName), ContextKeys.SourceBucketName, $"'{SourceBucketName}' is not an S3 bucket name");
        Require(OutputBucketName is null || BucketName().IsMatch(OutputBucketName), ContextKeys.OutputBucketName, $"'{OutputBucketName}' is not an S3 bucket name");
        Require(IsKeyPrefix(SourcePrefix), ContextKeys.SourcePrefix, $"'{SourcePrefix}' must not start with '/' and must end with '/'");
        Require(IsKeyPrefix(OutputPrefix), ContextKeys.OutputPrefix, $"'{OutputPrefix}' must not start with '/' and must end with '/'");
        Require(
            !s_reservedPrefixes.Any(p => OutputPrefix.StartsWith(p, StringComparison.Ordinal) || (OutputPrefix.Length > 0 && p.StartsWith(OutputPrefix, StringComparison.Ordinal))),
            ContextKeys.OutputPrefix,
            $"'{OutputPrefix}' overlaps a prefix the stack reserves ({string.Join(", ", s_reservedPrefixes)})");
        if (NotificationSource == NotificationSource.Sns)
        {
            Require(SourceTopicArn is not null, ContextKeys.SourceTopicArn, "is required when notificationSource is sns (the ARN of the topic CloudTrail or S3 publishes to)");
        }

        Require(SourceTopicArn is null || SnsTopicArn().IsMatch(SourceTopicArn), ContextKeys.SourceTopicArn, $"'{SourceTopicArn}' is not an SNS topic ARN");
        Require(AlarmTopicArn is null || SnsTopicArn().IsMatch(AlarmTopicArn), ContextKeys.AlarmTopicArn, $"'{AlarmTopicArn}' is not an SNS topic ARN");
        foreach (var key in SourceKmsKeyArns)
        {
            Require(KmsKeyArn().IsMatch(key), ContextKeys.SourceKmsKeyArns, $"'{key}' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)");
        }

        Require(OutputKmsKeyArn is null || KmsKeyArn().IsMatch(OutputKmsKeyArn), ContextKeys.OutputKmsKeyArn, $"'{OutputKmsKeyArn}' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)");
        Require(
            OutputExpireDays is null || OutputTransitionDays is null || OutputExpireDays > OutputTransitionDays,
            ContextKeys.OutputExpireDays,
            $"{OutputExpireDays} must be later than outputTransitionDays ({OutputTransitionDays})");
        if (ImageFromAsset)
        {
            Require(ImageRepositoryUri is null, ContextKeys.ImageRepositoryUri, "and imageAssetDirectory are exclusive: give one");
            Require(!Bootstrapless, ContextKeys.Bootstrapless, "cannot build imageAssetDirectory: a template without bootstrap resources needs imageRepositoryUri and imageTag");
        }
        else
        {
            Require(ImageRepositoryUri is not null, ContextKeys.ImageRepositoryUri, "is required: the ECR repository URI of the worker image, ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME (or set imageAssetDirectory to build it)");
            Require(EcrRepositoryUri().IsMatch(ImageRepositoryUri!), ContextKeys.ImageRepositoryUri, $"'{ImageRepositoryUri}' is not ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME");
            Require(ImageTag is not null, ContextKeys.ImageTag, "is required with imageRepositoryUri: the image tag to run");
        }

        Require(ImageTag is null || ImageTagPattern().IsMatch(ImageTag), ContextKeys.ImageTag, $"'{ImageTag}' is not a Docker image tag");
        Require(RulesS3Path is null || S3ObjectPath().IsMatch(RulesS3Path), ContextKeys.RulesS3Path, $"'{RulesS3Path}' is not s3://bucket/key");
        Require(
            Detections is BundledDetections or NoDetections || S3ObjectPath().IsMatch(Detections),
            ContextKeys.Detections,
            $"'{Detections}' is not {BundledDetections}, {NoDetections} or s3://bucket/key");
        Require(s_fargateMemory.ContainsKey(Cpu), ContextKeys.Cpu, $"{Cpu} is not a Fargate CPU size ({string.Join(", ", s_fargateMemory.Keys)})");
        var (min, max, step) = s_fargateMemory[Cpu];
        Require(
            MemoryMiB >= min && MemoryMiB <= max && (MemoryMiB - min) % step == 0,
            ContextKeys.MemoryMiB,
            $"{MemoryMiB} MiB is not a Fargate memory size for {Cpu} CPU units ({min} to {max} in steps of {step})");
        Require(MinTasks <= MaxTasks, ContextKeys.MinTasks, $"{MinTasks} is more than maxTasks ({MaxTasks})");
        Require(s_logRetentionDays.Contains(LogRetentionDays), ContextKeys.LogRetentionDays, $"{LogRetentionDays} is not a CloudWatch Logs retention ({string.Join(", ", s_logRetentionDays)})");
        Require(
            MetricsNamespace.Length <= 255 && MetricsNamespace.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' or '/' or '#' or ':') && !MetricsNamespace.StartsWith("AWS/", StringComparison.Ordinal),
            ContextKeys.MetricsNamespace,
            $"'{MetricsNamespace}' is not a custom CloudWatch namespace (letters, digits, . - _ / # :; not AWS/)");
        Require(GlueName().IsMatch(GlueDatabaseName), ContextKeys.GlueDatabaseName, $"'{GlueDatabaseName}' must be lower-case letters, digits and '_'");
        Require(GlueName().IsMatch(GlueTableName), ContextKeys.GlueTableName, $"'{GlueTableName}' must be lower-case letters, digits and '_'");
        Require(AthenaName().IsMatch(AthenaWorkGroupName), ContextKeys.AthenaWorkGroupName, $"'{AthenaWorkGroupName}' must be 1 to 128 letters, digits, '.', '-' or '_'");
        foreach (var account in ProjectionAccounts)
        {
            Require(AccountId().IsMatch(account), ContextKeys.ProjectionAccounts, $"'{account}' is not a 12-digit account id");
        }

        foreach (var region in ProjectionRegions)
        {
            Require(RegionName().IsMatch(region), ContextKeys.ProjectionRegions, $"'{region}' is not a region name");
        }

        Require(ProjectionFirstYear <= ProjectionLastYear, ContextKeys.ProjectionFirstYear, $"{ProjectionFirstYear} is after projectionLastYear ({ProjectionLastYear})");
    }

    private static void Require(bool condition, string key, string problem)
    {
        if (!condition)
        {
            throw new InvalidContextException(string.Create(CultureInfo.InvariantCulture, $"context '{key}': {problem}"));
        }
    }

    private static bool IsKeyPrefix(string prefix) => prefix.Length == 0 || (!prefix.StartsWith('/') && prefix.EndsWith('/'));

    [GeneratedRegex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex SnsTopicArn();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();

    [GeneratedRegex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KmsKeyArn();

    [GeneratedRegex("^\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9][a-z0-9._/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EcrRepositoryUri();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageTagPattern();

    [GeneratedRegex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$", RegexOptions.CultureInvariant)]
    private static partial Regex S3ObjectPath();

    [GeneratedRegex("^[a-z0-9_]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex GlueName();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex AthenaName();

    [GeneratedRegex("^\\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
