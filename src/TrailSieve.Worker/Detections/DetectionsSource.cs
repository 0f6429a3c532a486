using TrailSieve.Core.Detections;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Rules;

namespace TrailSieve.Worker.Detections;

/// <summary>
/// Fetches the detections (the rule syntax's or Sigma rules) from their configured source: local files and folders
/// (several, one set), an S3 object or an SSM
/// parameter, through the same <see cref="IConfigTextReader"/> as the rules. <see cref="DetectionSet.Empty"/> when none is configured.
/// </summary>
internal sealed class DetectionsSource(DetectionsOptions options, IConfigTextReader reader)
{
    public bool Enabled => options.Enabled;

    public string Describe() => options.Source switch
    {
        RulesSource.S3 => options.S3Path,
        RulesSource.Ssm => $"ssm:{options.SsmParameter}",
        _ => string.Join(", ", options.ListFiles()),
    };

    /// <summary>The configured detections, less the Sigma rules below <c>Detections:SigmaMinimumLevel</c>.</summary>
    /// <exception cref="Core.Rules.RuleValidationException">A detection file is invalid.</exception>
    public async Task<DetectionSet> LoadAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).WithSigmaMinimumLevel(options.SigmaMinimumLevel);

    private async Task<DetectionSet> ReadAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return DetectionSet.Empty;
        }

        if (options.Source == RulesSource.Local)
        {
            // Folders of Sigma rules expand to their files; all load as one set, so a correlation may name a rule of another file.
            var texts = new List<(string, string)>();
            foreach (var file in DetectionSetLoader.ExpandPaths(options.ListFiles()))
            {
                texts.Add((await reader.ReadAsync(new RulesOptions { File = file }, cancellationToken).ConfigureAwait(false), file));
            }

            return DetectionSetLoader.LoadTexts(texts);
        }

        var location = new RulesOptions { Source = options.Source, S3Path = options.S3Path, SsmParameter = options.SsmParameter };
        return DetectionSetLoader.Load(await reader.ReadAsync(location, cancellationToken).ConfigureAwait(false), Describe());
    }
}
