using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// Everything <c>trailsieve run</c> can tell about its configuration before it starts, collected across the options
/// classes so that every problem is reported at once: values that do not convert (enums, durations, numbers),
/// DataAnnotations ranges, the cross-field rules (<see cref="ServiceOptionsRelations"/>: heartbeat &lt; threshold &lt;
/// visibility, a bucket, a rules location), local rules and detection files that do not exist, and a missing AWS region.
/// The host's <c>ValidateOnStart</c> validators stay as the backstop.
/// </summary>
internal static class StartupCheck
{
    /// <param name="configuration">The service host's configuration.</param>
    /// <param name="environment">The process environment (the AWS region).</param>
    /// <param name="sdkRegion">The SDK's region chain, for tests; by default the SDK's own.</param>
    public static IReadOnlyList<ConfigurationProblem> Service(IConfiguration configuration, Func<string, string?> environment, Func<string?>? sdkRegion = null)
    {
        var problems = new List<ConfigurationProblem>();
        var relations = new ServiceOptionsRelations();
        if (SectionBinder.TryBind<SqsOptions>(configuration, SqsOptions.SectionName, problems) is { } sqs)
        {
            Add(problems, relations.Validate(null, sqs), SqsOptions.SectionName);
        }

        _ = SectionBinder.TryBind<PipelineOptions>(configuration, PipelineOptions.SectionName, problems);
        if (SectionBinder.TryBind<OutputOptions>(configuration, OutputOptions.SectionName, problems) is { } output)
        {
            Add(problems, relations.Validate(null, output), OutputOptions.SectionName);
        }

        if (SectionBinder.TryBind<RulesOptions>(configuration, RulesOptions.SectionName, problems) is { } rules)
        {
            var before = problems.Count;
            Add(problems, relations.Validate(null, rules), RulesOptions.SectionName);
            if (problems.Count == before && rules.Source == RulesSource.Local)
            {
                CheckFile(problems, "Rules:File", rules.File, "(--rules, CONFIG_FILE)");
            }
        }

        if (SectionBinder.TryBind<DetectionsOptions>(configuration, DetectionsOptions.SectionName, problems) is { } detections)
        {
            Add(problems, relations.Validate(null, detections), DetectionsOptions.SectionName);
            if (detections.Source == RulesSource.Local)
            {
                foreach (var file in detections.ListFiles())
                {
                    if (!Directory.Exists(file))
                    {
                        // A folder of Sigma rules is a detections source too.
                        CheckFile(problems, "Detections:File", file, "(--detections, DETECTIONS_FILE)");
                    }
                }
            }
        }

        _ = SectionBinder.TryBind<HealthOptions>(configuration, HealthOptions.SectionName, problems);
        _ = SectionBinder.TryBind<MetricsOptions>(configuration, MetricsOptions.SectionName, problems);
        if (Region(environment, sdkRegion) is { } region)
        {
            problems.Add(region);
        }

        return problems;
    }

    /// <summary>The problem when no AWS region is configured, else null.</summary>
    /// <param name="environment">The process environment.</param>
    /// <param name="sdkRegion">The SDK's region chain, for tests; by default the SDK's own.</param>
    public static ConfigurationProblem? Region(Func<string, string?> environment, Func<string?>? sdkRegion = null) =>
        AwsRegion.Resolve(environment, sdkRegion) is null
            ? new ConfigurationProblem("AWS_REGION", "no AWS region is configured (S3 and SQS need one, also with AWS_ENDPOINT_URL)", AwsRegion.Accepted)
            : null;

    /// <summary>The problems of an <see cref="OptionsValidationException"/>, or of several in an <see cref="AggregateException"/>; null for any other exception.</summary>
    public static IReadOnlyList<ConfigurationProblem>? ProblemsOf(Exception exception) => exception switch
    {
        OptionsValidationException e => [.. e.Failures.Select(f => ConfigurationProblem.Parse(f, e.OptionsName is { Length: > 0 } name ? name : e.OptionsType.Name))],
        AggregateException e when e.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(i => i is OptionsValidationException) =>
            [.. inner.SelectMany(i => ProblemsOf(i)!)],
        _ => null,
    };

    private static void CheckFile(List<ConfigurationProblem> problems, string setting, string path, string names)
    {
        if (!File.Exists(path))
        {
            problems.Add(new ConfigurationProblem(setting, $"{path} does not exist or is not a file {names}"));
        }
    }

    private static void Add(List<ConfigurationProblem> problems, ValidateOptionsResult result, string section)
    {
        if (result.Failed)
        {
            problems.AddRange(result.Failures.Select(f => ConfigurationProblem.Parse(f, section)));
        }
    }
}
