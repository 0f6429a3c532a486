using Microsoft.Extensions.Configuration;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// The configuration the one-off commands read as <c>run</c> does: appsettings.json next to the executable, the
/// environment (<c>Output__Encryption</c>) and the Go Lambdas' names (<c>CLOUDTRAIL_OUTPUT_BUCKET_NAME</c>); options
/// given on the command line are applied over what is bound from it.
/// </summary>
internal static class WorkerConfiguration
{
    /// <summary>The configuration of the builder every TrailSieve host starts from, so its sources are defined once.</summary>
    public static IConfiguration Build() =>
        Hosting.ServiceHost.CreateBuilder(new Dictionary<string, string?>(), Environment.GetEnvironmentVariable).Configuration;

    /// <summary>A section bound to a new options object.</summary>
    public static T Section<T>(this IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
