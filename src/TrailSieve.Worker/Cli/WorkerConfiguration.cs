using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// The configuration the one-off commands read as <c>run</c> does: appsettings.json next to the executable, the
/// environment (<c>Output__Encryption</c>) and the Go Lambdas' names (<c>CLOUDTRAIL_OUTPUT_BUCKET_NAME</c>); options
/// given on the command line are applied over what is bound from it.
/// </summary>
internal static class WorkerConfiguration
{
    /// <summary>
    /// The sources of <c>run</c>'s host (<see cref="ServiceHost.CreateBuilder"/>: the generic host's defaults, then the
    /// Go Lambdas' names), in the host's order, without building a host. Building one for a setting or two was half of
    /// <c>filter</c>'s start-up: it loads hosting, logging, dependency injection and a file watcher for appsettings.json
    /// that a one-off command never uses. A test compares every key with the host's configuration so the two cannot drift.
    /// </summary>
    public static IConfiguration Build() => Build(Environment.GetEnvironmentVariable);

    internal static IConfigurationRoot Build(Func<string, string?> environment)
    {
        var environmentName = environment("DOTNET_ENVIRONMENT") is { Length: > 0 } name ? name : Environments.Production;
        return new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(LegacyEnvironment.Map(environment))
            .Build();
    }

    /// <summary>A section bound to a new options object, its DataAnnotations checked.</summary>
    /// <exception cref="ConfigurationException">A value does not convert or is out of range; every problem of the section is in it.</exception>
    public static T Section<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(
        this IConfiguration configuration, string section)
        where T : class, new()
    {
        var problems = new List<ConfigurationProblem>();
        var options = SectionBinder.TryBind<T>(configuration, section, problems);
        return problems.Count == 0 && options is not null ? options : throw new ConfigurationException(problems);
    }
}
