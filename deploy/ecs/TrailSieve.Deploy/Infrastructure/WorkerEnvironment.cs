using System.Globalization;
using TrailSieve.Core.Analytics;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>The container environment shared by the service, the backfill task and the report task.</summary>
internal static class WorkerEnvironment
{
    public static Dictionary<string, string> Create(DeploySettings settings, string queueUrl, OutputStore output)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WorkerContract.QueueUrlVariable] = queueUrl,
            [WorkerContract.VisibilityTimeoutVariable] = Span(settings.VisibilityTimeoutSeconds),
            [WorkerContract.DrainTimeoutVariable] = Span(settings.DrainTimeoutSeconds),
            [WorkerContract.OutputBucketVariable] = output.BucketName,
            [WorkerContract.OutputPrefixVariable] = settings.OutputPrefix,
            [WorkerContract.OutputMaxAgeVariable] = Span(settings.BatchMaxAgeSeconds),
            // The Hive layout is what the Glue table projects; the worker's default (CloudTrail's own layout) is not.
            [WorkerContract.OutputKeyTemplateVariable] = CloudTrailTable.HiveKeyTemplate,
            [WorkerContract.MetricsNamespaceVariable] = settings.MetricsNamespace,
            // The image sets it too; the task errors alarm's log filter depends on it, so the stack says so itself.
            [WorkerContract.LogFormatVariable] = "json",
        };
        foreach (var (name, value) in OutputEncryption(settings))
        {
            environment[name] = value;
        }

        if (settings.RulesS3Path is { } rules)
        {
            environment[WorkerContract.RulesSourceVariable] = "s3";
            environment[WorkerContract.RulesS3PathVariable] = rules;
        }
        else
        {
            environment[WorkerContract.RulesSourceVariable] = "local";
            environment[WorkerContract.RulesFileVariable] = WorkerContract.BundledRulesFile;
        }

        if (settings.DetectionsS3Path is { } detections)
        {
            environment[WorkerContract.DetectionsSourceVariable] = "s3";
            environment[WorkerContract.DetectionsS3PathVariable] = detections;
        }
        else if (settings.Detections == DeploySettings.BundledDetections)
        {
            environment[WorkerContract.DetectionsFileVariable] = WorkerContract.BundledDetectionFiles;
        }

        return environment;
    }

    /// <summary>The SSE every task writes S3 objects with: SSE-KMS with the output key when there is one, else SSE-S3.</summary>
    public static IEnumerable<KeyValuePair<string, string>> OutputEncryption(DeploySettings settings)
    {
        yield return new(WorkerContract.OutputEncryptionVariable, settings.OutputUsesKms ? "Kms" : "S3");
        if (settings.OutputKmsKeyArn is { } key)
        {
            yield return new(WorkerContract.OutputKmsKeyVariable, key);
        }
    }

    /// <summary>TimeSpan's invariant "c" format, which the configuration binder parses.</summary>
    private static string Span(int seconds) => TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
}
