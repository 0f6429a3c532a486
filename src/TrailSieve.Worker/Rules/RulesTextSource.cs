using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Rules;

/// <summary>Fetches the rules text from the configured source: a file, an S3 object or an SSM parameter.</summary>
internal sealed class RulesTextSource(RulesOptions options, IConfigTextReader reader)
{
    /// <summary>Where the rules come from, for messages.</summary>
    public string Describe() => options.Source switch
    {
        RulesSource.S3 => $"s3://{options.S3Location().Bucket}/{options.S3Location().Key}",
        RulesSource.Ssm => $"ssm:{options.SsmParameter}",
        _ => options.File,
    };

    /// <summary>The setting that says where the rules are, for messages.</summary>
    public string Setting => options.Source switch
    {
        RulesSource.S3 => string.IsNullOrEmpty(options.S3Path) ? "Rules:S3Key" : "Rules:S3Path",
        RulesSource.Ssm => "Rules:SsmParameter",
        _ => "Rules:File",
    };

    public Task<string> LoadAsync(CancellationToken cancellationToken) => reader.ReadAsync(options, cancellationToken);
}
