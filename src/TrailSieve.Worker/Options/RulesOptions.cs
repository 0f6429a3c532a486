using System.ComponentModel.DataAnnotations;

namespace TrailSieve.Worker.Options;

/// <summary>Where the rules come from and how often they are refreshed. Section <c>Rules</c>.</summary>
public sealed class RulesOptions
{
    public const string SectionName = "Rules";

    /// <summary>local (a file), s3 or ssm (<c>CONFIG_SOURCE</c>). Default local.</summary>
    public RulesSource Source { get; set; } = RulesSource.Local;

    /// <summary>Rules file for the local source (<c>--rules</c>, <c>CONFIG_FILE</c>).</summary>
    public string File { get; set; } = string.Empty;

    /// <summary>Bucket of the rules object (<c>CONFIG_S3_BUCKET</c>).</summary>
    public string S3Bucket { get; set; } = string.Empty;

    /// <summary>Key of the rules object (<c>CONFIG_S3_KEY</c>).</summary>
    public string S3Key { get; set; } = string.Empty;

    /// <summary><c>s3://bucket/key</c> of the rules object, instead of bucket and key (<c>CONFIG_S3_PATH</c>).</summary>
    public string S3Path { get; set; } = string.Empty;

    /// <summary>SSM parameter holding the rules YAML (<c>CONFIG_SSM_PARAMETER</c>); SecureString is decrypted.</summary>
    public string SsmParameter { get; set; } = string.Empty;

    /// <summary>How often the rules are reloaded; a failed reload keeps the last good rules. Default 5 min; 0 turns it off; at most 1 day (<c>CONFIG_REFRESH_INTERVAL</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    public (string Bucket, string Key) S3Location()
    {
        if (!string.IsNullOrEmpty(S3Path))
        {
            var path = S3Path.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? S3Path[5..] : S3Path;
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            return slash <= 0 ? (path, string.Empty) : (path[..slash], path[(slash + 1)..]);
        }

        return (S3Bucket, S3Key);
    }

    public IEnumerable<string> ValidateRelations()
    {
        switch (Source)
        {
            case RulesSource.Local when string.IsNullOrWhiteSpace(File):
                yield return "Rules:File: is required when the rules source is local (--rules, CONFIG_FILE)";
                break;
            case RulesSource.S3 when S3Location() is var (bucket, key) && (string.IsNullOrEmpty(bucket) || string.IsNullOrEmpty(key)):
                yield return "Rules:S3Path: is required when the rules source is s3 (CONFIG_S3_PATH; or Rules:S3Bucket and Rules:S3Key, CONFIG_S3_BUCKET and CONFIG_S3_KEY); accepted: s3://bucket/key";
                break;
            case RulesSource.Ssm when string.IsNullOrWhiteSpace(SsmParameter):
                yield return "Rules:SsmParameter: is required when the rules source is ssm (CONFIG_SSM_PARAMETER)";
                break;
        }
    }
}
