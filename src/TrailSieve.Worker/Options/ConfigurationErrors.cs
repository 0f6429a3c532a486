namespace TrailSieve.Worker.Options;

/// <summary>
/// How every command reports configuration problems: one line per problem on stderr,
/// <c>trailsieve: configuration error: Setting: problem; accepted: values</c>, all of them at once, then exit code 2.
/// </summary>
internal static class ConfigurationErrors
{
    public const string Prefix = "trailsieve: configuration error: ";

    /// <summary>The exit code of a configuration problem (<c>ExitCodes.UsageOrRules</c>, <c>ServiceExit.ConfigurationError</c>).</summary>
    public const int ExitCode = 2;

    /// <summary>Writes each problem as one line; returns <see cref="ExitCode"/>.</summary>
    public static int Write(TextWriter error, IEnumerable<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems)
        {
            error.WriteLine(Prefix + problem);
        }

        return ExitCode;
    }
}
