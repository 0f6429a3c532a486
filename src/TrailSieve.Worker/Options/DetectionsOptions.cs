using System.ComponentModel.DataAnnotations;

namespace TrailSieve.Worker.Options;

/// <summary>
/// Detections: where the detection files come from (like the rules: local files, an S3 object or an SSM parameter),
/// the threshold state's limits, and how findings are written. Section <c>Detections</c>. Off unless a source is set.
/// </summary>
public sealed class DetectionsOptions
{
    public const string SectionName = "Detections";

    /// <summary>local (files), s3 or ssm. Default local.</summary>
    public RulesSource Source { get; set; } = RulesSource.Local;

    /// <summary>Detection files, Sigma rule files or folders of them for the local source, comma-separated (<c>--detections</c>, repeatable; <c>DETECTIONS_FILE</c>). Empty: no detections.</summary>
    public string File { get; set; } = string.Empty;

    /// <summary><c>s3://bucket/key</c> of a detection file, for the s3 source.</summary>
    public string S3Path { get; set; } = string.Empty;

    /// <summary>SSM parameter holding a detection file, for the ssm source; SecureString is decrypted.</summary>
    public string SsmParameter { get; set; } = string.Empty;

    /// <summary>Key prefix of the findings in the output bucket (<c>--alerts-prefix</c>). Default <c>alerts/</c>.</summary>
    public string AlertsPrefix { get; set; } = "alerts/";

    /// <summary>How late (by eventTime, behind the latest hit of its own group) a threshold hit may arrive and still count. Default 15 min; 0 to 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Lateness { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Threshold groups kept at most; past it the least recently hit is evicted (counted). Default 100,000; 1 to 10,000,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxGroups { get; set; } = 100_000;

    /// <summary>Flush a findings object this long after its first finding. Default 60 s; 1 s to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Flush a findings object at this many uncompressed bytes. Default 16 MiB; 1 KiB to 1 GiB.</summary>
    [Range(1024L, 1024L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// Sigma rules below this level are left out (a rule a kept correlation reads still feeds it, without findings of
    /// its own); the rule syntax's detections are not affected. Default informational: none left out.
    /// </summary>
    public Core.Detections.SigmaLevel SigmaMinimumLevel { get; set; } = Core.Detections.SigmaLevel.Informational;

    /// <summary>Whether any detections are configured.</summary>
    public bool Enabled => Source switch
    {
        RulesSource.S3 => !string.IsNullOrWhiteSpace(S3Path),
        RulesSource.Ssm => !string.IsNullOrWhiteSpace(SsmParameter),
        _ => ListFiles().Count > 0,
    };

    /// <summary>The local files, split from <see cref="File"/> (a method, so the effective-configuration log shows <see cref="File"/> only).</summary>
    public IReadOnlyList<string> ListFiles() => File.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<string> ValidateRelations()
    {
        switch (Source)
        {
            case RulesSource.S3 when !S3Path.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || S3Path.Length <= 5 || !S3Path[5..].Contains('/', StringComparison.Ordinal):
                yield return "Detections:S3Path: is required when the detections source is s3; accepted: s3://bucket/key";
                break;
            case RulesSource.Ssm when string.IsNullOrWhiteSpace(SsmParameter):
                yield return "Detections:SsmParameter: is required when the detections source is ssm";
                break;
        }

        if (AlertsPrefix.StartsWith('/'))
        {
            yield return "Detections:AlertsPrefix: must not start with '/' (--alerts-prefix)";
        }
    }
}
