using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using TrailSieve.Worker.Options;

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
