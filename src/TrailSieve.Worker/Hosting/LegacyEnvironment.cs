namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The environment names the Go Lambdas documented, mapped onto TrailSieve's configuration keys where they mean the
/// same thing, so an existing deployment's environment keeps working.
/// </summary>
internal static class LegacyEnvironment
{
    private static readonly (string Variable, string Key)[] s_map =
    [
        ("CONFIG_SOURCE", "Rules:Source"),
        ("CONFIG_FILE", "Rules:File"),
        ("CONFIG_S3_BUCKET", "Rules:S3Bucket"),
        ("CONFIG_S3_KEY", "Rules:S3Key"),
        ("CONFIG_S3_PATH", "Rules:S3Path"),
        ("CONFIG_SSM_PARAMETER", "Rules:SsmParameter"),
        ("CONFIG_REFRESH_INTERVAL", "Rules:RefreshInterval"),
        ("CLOUDTRAIL_OUTPUT_BUCKET_NAME", "Output:Bucket"),
        ("LOG_LEVEL", "Logging:LogLevel:Default"),
        ("METRICS_ENABLED", "Metrics:Enabled"),
        ("METRICS_NAMESPACE", "Metrics:Namespace"),
        // Not a Go Lambda name: TrailSieve's own, in the same style (detection files, comma-separated).
        ("DETECTIONS_FILE", "Detections:File"),
    ];

    public static Dictionary<string, string?> Map(Func<string, string?> environment)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in s_map)
        {
            var value = environment(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            result[key] = variable switch
            {
                "CONFIG_REFRESH_INTERVAL" => DurationParser.Normalize(value),
                // The Lambdas' levels (debug, info, warn, error) onto Microsoft.Extensions.Logging's.
                "LOG_LEVEL" => value.Trim().ToLowerInvariant() switch
                {
                    "trace" => "Trace",
                    "debug" => "Debug",
                    "info" or "information" => "Information",
                    "warn" or "warning" => "Warning",
                    "error" => "Error",
                    "fatal" or "critical" => "Critical",
                    _ => value,
                },
                _ => value,
            };
        }

        return result;
    }
}
