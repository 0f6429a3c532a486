namespace TrailSieve.Deploy;

/// <summary>
/// What the stack relies on from the worker: its environment names, option defaults, CLI, metric names and image
/// layout. The worker is not referenced (it carries the AWS SDK and a host); the tests compare these with the
/// Worker's options classes and metric map, so a rename there fails a test here instead of a deployment.
/// </summary>
public static class WorkerContract
{
    /// <summary>SqsOptions.DrainTimeout's default (25 s).</summary>
    public const int DefaultDrainTimeoutSeconds = 25;

    /// <summary>SqsOptions.VisibilityTimeout's default (5 min).</summary>
    public const int DefaultVisibilityTimeoutSeconds = 300;

    /// <summary>SqsOptions.ExtensionThreshold's default (90 s); the visibility timeout must exceed it.</summary>
    public const int DefaultExtensionThresholdSeconds = 90;

    /// <summary>MetricsOptions.Namespace's default.</summary>
    public const string DefaultMetricsNamespace = "TrailSieve";

    /// <summary>The apphost in the image (Dockerfile: AssemblyName trailsieve, published to /app).</summary>
    public const string Executable = "/app/trailsieve";

    /// <summary>The rules file the image ships (Dockerfile copies rules/ to /app/rules/).</summary>
    public const string BundledRulesFile = "/app/rules/default.yaml";

    // Environment: Options binding (Section__Name) where no Go Lambda name exists, LegacyEnvironment's names where one does.
    public const string QueueUrlVariable = "Sqs__QueueUrl";
    public const string VisibilityTimeoutVariable = "Sqs__VisibilityTimeout";
    public const string DrainTimeoutVariable = "Sqs__DrainTimeout";
    public const string OutputBucketVariable = "CLOUDTRAIL_OUTPUT_BUCKET_NAME";
    public const string OutputPrefixVariable = "Output__Prefix";
    public const string OutputKeyTemplateVariable = "Output__KeyTemplate";
    public const string OutputMaxAgeVariable = "Output__MaxAge";
    public const string OutputEncryptionVariable = "Output__Encryption";
    public const string OutputKmsKeyVariable = "Output__KmsKeyId";
    public const string RulesSourceVariable = "CONFIG_SOURCE";
    public const string RulesFileVariable = "CONFIG_FILE";
    public const string RulesS3PathVariable = "CONFIG_S3_PATH";
    public const string DetectionsFileVariable = "DETECTIONS_FILE";
    public const string DetectionsSourceVariable = "Detections__Source";
    public const string DetectionsS3PathVariable = "Detections__S3Path";

    /// <summary>The detection packs the image ships (Dockerfile copies rules/ to /app/rules/).</summary>
    public const string BundledDetectionFiles = "/app/rules/detections/threats.yaml,/app/rules/detections/high-risk.yaml";
    public const string MetricsNamespaceVariable = "METRICS_NAMESPACE";

    /// <summary>PipelineOptions.ReadParallelism: objects read at once (worker default 2).</summary>
    public const string ReadParallelismVariable = "Pipeline__ReadParallelism";

    /// <summary>BackfillOptions.CheckpointPrefix: where backfill keeps its checkpoint when the command gives none.</summary>
    public const string BackfillCheckpointPrefixVariable = "Backfill__CheckpointPrefix";

    // CloudWatch metric names of the EMF documents (TrailSieveMetrics.CloudWatchNames).
    public const string ErrorsMetric = "Errors";
    public const string ErrorTypeDimension = "ErrorType";

    /// <summary>The detections counter (dimensions Detection and Severity), named by the detections design.</summary>
    public const string FindingsMetric = "Findings";
    public const string DetectionDimension = "Detection";
    public const string SeverityDimension = "Severity";

    /// <summary>Severity values that page someone; the detection packs write severities in lower case.</summary>
    public static IReadOnlyList<string> AlarmingSeverities { get; } = ["high", "critical"];

    /// <summary>
    /// The other severities. Metrics Insights has no OR in WHERE (<c>WHERE key OPERATOR value [AND ...]</c>), and an
    /// alarm may hold one Metrics Insights query only, so the Findings alarm excludes these instead of naming those.
    /// </summary>
    public static IReadOnlyList<string> QuietSeverities { get; } = ["low", "medium"];

    /// <summary>The JSON console formatter's field with the level name (Information, Warning, Error, Critical).</summary>
    public const string JsonLogLevelField = "LogLevel";

    /// <summary>The first words of the line the runtime or the command line writes for an exception nothing caught.</summary>
    public const string UnhandledExceptionText = "Unhandled exception";

    /// <summary>Logging:Format / TRAILSIEVE_LOG_FORMAT: json gives one JSON object per line, which the error log filter reads.</summary>
    public const string LogFormatVariable = "TRAILSIEVE_LOG_FORMAT";

    // Commands.
    public static IReadOnlyList<string> HealthCheckCommand { get; } = ["CMD", Executable, "health"];

    public static IReadOnlyList<string> RunCommand { get; } = ["run"];
}
