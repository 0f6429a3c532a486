using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using TrailSieve.Core.Detections;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Rules;

namespace TrailSieve.Worker.Detections;

/// <summary>
/// Fetches the detections from their configured source: local files (several, one set), an S3 object or an SSM
/// parameter, through the same text source as the rules. <see cref="DetectionSet.Empty"/> when none is configured.
/// </summary>
internal sealed class DetectionsSource(DetectionsOptions options, Func<IAmazonS3> s3, Func<IAmazonSimpleSystemsManagement> ssm)
{
    public bool Enabled => options.Enabled;

    public string Describe() => options.Source switch
    {
        RulesSource.S3 => options.S3Path,
        RulesSource.Ssm => $"ssm:{options.SsmParameter}",
        _ => string.Join(", ", options.ListFiles()),
    };

    /// <exception cref="Core.Rules.RuleValidationException">A detection file is invalid.</exception>
    public async Task<DetectionSet> LoadAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return DetectionSet.Empty;
        }

        if (options.Source == RulesSource.Local)
        {
            var sets = new List<DetectionSet>();
            foreach (var file in options.ListFiles())
            {
                sets.Add(DetectionSetLoader.Load(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file));
            }

            return DetectionSetLoader.Combine(sets);
        }

        var text = new RulesTextSource(new RulesOptions { Source = options.Source, S3Path = options.S3Path, SsmParameter = options.SsmParameter }, s3, ssm);
        return DetectionSetLoader.Load(await text.LoadAsync(cancellationToken).ConfigureAwait(false), Describe());
    }
}
