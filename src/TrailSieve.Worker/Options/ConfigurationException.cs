namespace TrailSieve.Worker.Options;

/// <summary>The configuration cannot be used: every problem found, for <see cref="ConfigurationErrors.Write"/>.</summary>
internal sealed class ConfigurationException(IReadOnlyList<ConfigurationProblem> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = problems;
}
