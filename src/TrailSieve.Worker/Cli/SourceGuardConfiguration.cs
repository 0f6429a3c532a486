using Microsoft.Extensions.Configuration;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// The source guard's settings for the commands that are not the service (backfill, compact, report): the
/// <c>Sqs:IncludeKeys</c>, <c>Sqs:ExcludeKeys</c> and <c>Sqs:ExpectedBucketOwner</c> a user configures for the one
/// worker, read on their own, because these commands need no queue (binding the whole <c>Sqs</c> section would ask for
/// <c>Sqs:QueueUrl</c> and report settings they never use). <c>Sqs:SourceBuckets</c> is the service's: a command given
/// its bucket on the command line has nothing to guard it against.
/// </summary>
internal static class SourceGuardConfiguration
{
    /// <summary>
    /// The key filter and the expected bucket owner, the command line's values (already checked) replacing the
    /// configured ones when given; <see cref="SourceGuard.None"/> after every problem was added to <paramref name="problems"/>.
    /// </summary>
    /// <param name="configuration">The configuration <c>run</c> reads (appsettings.json, the environment such as <c>Sqs__ExcludeKeys__0</c>).</param>
    /// <param name="problems">Where each invalid entry goes, naming its setting (<c>Sqs:ExcludeKeys:1</c>).</param>
    /// <param name="includeKeys">The command line's include entries, or null to take the configured ones.</param>
    /// <param name="excludeKeys">The command line's exclude entries, or null to take the configured ones.</param>
    /// <param name="expectedBucketOwner">The command line's account id, or null to take the configured one.</param>
    public static SourceGuard Read(
        IConfiguration configuration, ICollection<ConfigurationProblem> problems, IReadOnlyList<string>? includeKeys, IReadOnlyList<string>? excludeKeys, string? expectedBucketOwner)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var options = new SqsOptions { ExpectedBucketOwner = expectedBucketOwner ?? Owner(configuration) };
        foreach (var entry in includeKeys ?? Entries(configuration, nameof(SqsOptions.IncludeKeys)))
        {
            options.IncludeKeys.Add(entry);
        }

        foreach (var entry in excludeKeys ?? Entries(configuration, nameof(SqsOptions.ExcludeKeys)))
        {
            options.ExcludeKeys.Add(entry);
        }

        var failures = SourceGuard.Validate(options).Select(f => ConfigurationProblem.Parse(f, SqsOptions.SectionName)).ToList();
        foreach (var failure in failures)
        {
            problems.Add(failure);
        }

        return failures.Count == 0 ? SourceGuard.From(options) : SourceGuard.None;
    }

    /// <summary>The configured <c>Sqs:ExpectedBucketOwner</c>, or null when unset; a value that is not 12 digits is added to <paramref name="problems"/>.</summary>
    /// <param name="configuration">The configuration <c>run</c> reads.</param>
    /// <param name="problems">Where an invalid value goes.</param>
    public static string? ReadOwner(IConfiguration configuration, ICollection<ConfigurationProblem> problems) =>
        Read(configuration, problems, includeKeys: [], excludeKeys: [], expectedBucketOwner: null).ExpectedBucketOwner;

    private static string? Owner(IConfiguration configuration) => configuration[$"{SqsOptions.SectionName}:{nameof(SqsOptions.ExpectedBucketOwner)}"];

    /// <summary>The entries <c>Sqs:{name}:0</c>, <c>:1</c>, ... in index order (an entry with no value is empty, and reported so).</summary>
    private static IEnumerable<string> Entries(IConfiguration configuration, string name) =>
        configuration.GetSection($"{SqsOptions.SectionName}:{name}").GetChildren().Select(c => c.Value ?? string.Empty);
}
