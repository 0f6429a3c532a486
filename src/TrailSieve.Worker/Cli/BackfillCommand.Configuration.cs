using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using TrailSieve.Core.Layout;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary>Backfill's settings: the command line checked, and the configuration <c>run</c> reads.</summary>
internal static partial class BackfillCommand
{
    /// <summary>The configuration's options with the command line applied.</summary>
    private sealed record Configured(OutputOptions Output, PipelineOptions Pipeline, RulesOptions Rules, DetectionsOptions Detections, BackfillOptions Backfill);

    /// <summary>
    /// The Output, Pipeline, Rules, Detections and Backfill sections as <c>run</c> reads them (appsettings.json, the
    /// environment such as <c>Output__PartBytes</c>, the Go Lambdas' names such as <c>CLOUDTRAIL_OUTPUT_BUCKET_NAME</c>),
    /// with the command line applied over them.
    /// </summary>
    private static Configured ConfiguredOptions(IConfiguration configuration, BackfillRequest request)
    {
        var output = configuration.Section<OutputOptions>(OutputOptions.SectionName);
        var pipeline = configuration.Section<PipelineOptions>(PipelineOptions.SectionName);
        var rules = configuration.Section<RulesOptions>(RulesOptions.SectionName);
        var detections = configuration.Section<DetectionsOptions>(DetectionsOptions.SectionName);
        var backfill = configuration.Section<BackfillOptions>(BackfillOptions.SectionName);
        if (request.DetectionFiles.Count > 0)
        {
            detections.Source = RulesSource.Local;
            detections.File = string.Join(',', request.DetectionFiles.Select(Path.GetFullPath));
        }

        detections.AlertsPrefix = request.AlertsPrefix ?? detections.AlertsPrefix;
        output.Mode = request.Mode ?? output.Mode;
        output.KeyTemplate = request.Layout is { } named ? OutputLayouts.KeyTemplate(named) : output.KeyTemplate;
        output.Bucket = request.OutputBucket ?? output.Bucket;
        output.Prefix = request.OutputPrefix ?? output.Prefix;
        output.Encryption = request.Encryption ?? output.Encryption;
        output.KmsKeyId = request.KmsKeyId ?? output.KmsKeyId;
        pipeline.FilterParallelism = request.FilterParallelism ?? pipeline.FilterParallelism;
        return new Configured(output, pipeline, rules, detections, backfill);
    }

    /// <summary>The detections from their configured source (files, S3 or SSM), or an empty set when none is configured.</summary>
    private static Task<Core.Detections.DetectionSet?> TryLoadDetectionsAsync(
        DetectionsOptions options, Func<Amazon.S3.IAmazonS3> s3, AwsClientFactory factory, TextWriter error, CancellationToken cancellationToken)
    {
        var source = new DetectionsSource(options, s3, factory.CreateSsm);
        return TryLoadAsync(options.ValidateRelations(), source.Describe, "detections", source.LoadAsync, error, cancellationToken);
    }

    /// <summary>The rules from the source <c>run</c> would use (a file, an S3 object or an SSM parameter), once.</summary>
    private static async Task<Core.Rules.CompiledRuleSet?> TryLoadConfiguredRulesAsync(
        RulesOptions options, Func<Amazon.S3.IAmazonS3> s3, AwsClientFactory factory, TextWriter error, CancellationToken cancellationToken)
    {
        var source = new Rules.RulesTextSource(options, s3, factory.CreateSsm);
        var rules = await TryLoadAsync(
            options.ValidateRelations(),
            source.Describe,
            "rules",
            async ct => Core.Rules.RuleSetLoader.Load(await source.LoadAsync(ct).ConfigureAwait(false), source.Describe()),
            error,
            cancellationToken).ConfigureAwait(false);
        foreach (var warning in rules?.Warnings ?? [])
        {
            error.WriteLine($"warning: {warning}");
        }

        return rules;
    }

    /// <summary>Loads from a configured source once: configuration problems, invalid files and unreadable sources each get a line naming the source, and null.</summary>
    private static async Task<T?> TryLoadAsync<T>(
        IEnumerable<string> configurationProblems, Func<string> describe, string what, Func<CancellationToken, Task<T>> load, TextWriter error, CancellationToken cancellationToken)
        where T : class
    {
        if (configurationProblems.ToList() is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                error.WriteLine($"configuration: {problem}");
            }

            return null;
        }

        try
        {
            return await load(cancellationToken).ConfigureAwait(false);
        }
        catch (Core.Rules.RuleValidationException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            error.WriteLine($"{describe()}: cannot read the {what}: {ex.Message}");
            return null;
        }
    }

    private static bool TryBuildSettings(
        ParseResult parse, Option<string> bucket, Option<string> prefix, Option<string?> from, Option<string?> to, Option<string[]> accounts,
        Option<string[]> regions, Option<int> listParallelism, TextWriter error, out BackfillSettings settings)
    {
        settings = null!;
        DateOnly? first = null, end = null;
        if (parse.GetValue(from) is { } fromText)
        {
            if (!DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                error.WriteLine($"--from: '{fromText}' is not a date (yyyy-MM-dd)");
                return false;
            }

            first = day;
        }

        if (parse.GetValue(to) is { } toText)
        {
            if (!DateOnly.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                error.WriteLine($"--to: '{toText}' is not a date (yyyy-MM-dd)");
                return false;
            }

            end = day;
        }

        if (first is { } a && end is { } b && b <= a)
        {
            error.WriteLine($"--to {b:yyyy-MM-dd} must be after --from {a:yyyy-MM-dd} (--to is exclusive)");
            return false;
        }

        var accountSet = Split(parse.GetValue(accounts));
        if (accountSet.FirstOrDefault(a => !CloudTrailLayout.IsAccountId(a)) is { } badAccount)
        {
            error.WriteLine($"--accounts: '{badAccount}' is not a 12-digit account id");
            return false;
        }

        var regionSet = Split(parse.GetValue(regions));
        if (regionSet.FirstOrDefault(r => !CloudTrailLayout.IsRegion(r)) is { } badRegion)
        {
            error.WriteLine($"--regions: '{badRegion}' is not a region name (e.g. eu-west-1)");
            return false;
        }

        var lists = parse.GetValue(listParallelism);
        if (lists is < 1 or > 64)
        {
            error.WriteLine($"--list-parallelism: {lists} is not between 1 and 64");
            return false;
        }

        settings = new BackfillSettings
        {
            Bucket = parse.GetValue(bucket)!,
            Prefix = parse.GetValue(prefix)!,
            From = first,
            To = end,
            Accounts = accountSet,
            Regions = regionSet,
            ListParallelism = lists,
        };
        return true;
    }

    private static HashSet<string> Split(string[]? values) =>
        values is null ? [] : [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static bool TryDuration(string text, string option, TextWriter error, out TimeSpan duration)
    {
        if (Hosting.DurationParser.TryParse(text, out duration) && duration > TimeSpan.Zero)
        {
            return true;
        }

        error.WriteLine($"{option}: '{text}' is not a duration (e.g. 30s, 5m)");
        return false;
    }
}
