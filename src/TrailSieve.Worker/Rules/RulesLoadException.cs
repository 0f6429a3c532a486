using TrailSieve.Core.Rules;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Rules;

/// <summary>
/// The rules or the detections could not be loaded: each problem names the setting that says where they come from
/// (<c>Rules:File</c>, <c>Rules:S3Path</c>, <c>Detections:SsmParameter</c>, ...), the source and the reason.
/// </summary>
internal sealed class RulesLoadException(IReadOnlyList<ConfigurationProblem> problems, Exception innerException)
    : Exception(string.Join("; ", problems), innerException)
{
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = problems;

    /// <summary>
    /// Why <paramref name="source"/> could not be used: one problem per error of an invalid file, else one saying why it
    /// could not be read (an AWS failure as <see cref="AwsErrors.Explain"/> puts it, after the retries of the transient ones).
    /// </summary>
    public static RulesLoadException From(string setting, string source, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        IReadOnlyList<ConfigurationProblem> problems = exception is RuleValidationException invalid
            ? [.. (invalid.Errors.Count > 0 ? invalid.Errors : [invalid.Message]).Select(e => new ConfigurationProblem(setting, $"{source} is invalid: {e}"))]
            : [new ConfigurationProblem(setting, $"{source} cannot be read: {(AwsErrors.IsAwsFailure(exception) ? AwsErrors.Explain(exception) : exception.Message)}")];
        return new RulesLoadException(problems, exception);
    }
}
