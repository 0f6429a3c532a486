namespace TrailSieve.Worker.Hosting;

/// <summary>The exit code <c>trailsieve run</c> ends with: 0 after a clean drain, otherwise set by whoever stopped it.</summary>
internal sealed class ServiceExit
{
    /// <summary>The rules or the configuration could not be loaded.</summary>
    public const int ConfigurationError = 2;

    /// <summary>A fatal queue error (missing queue, access denied) or an unexpected fault.</summary>
    public const int Fatal = 3;

    public int Code { get; set; }

    /// <summary>Why the configuration or the rules could not be used, for <c>run</c> to print once the host has stopped.</summary>
    public IReadOnlyList<Options.ConfigurationProblem> Problems { get; set; } = [];
}
