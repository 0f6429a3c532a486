using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Rules;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// The rules and detections backfill processes with: <c>--rules</c>, or the source <c>run</c> would use (a file, an
/// S3 object or an SSM parameter), loaded once. Every problem gets a line on <paramref name="error"/>, naming the source.
/// </summary>
internal sealed class BackfillRules(BackfillRequest request, BackfillConfiguration configured, IConfigTextReader text, TextWriter error)
{
    /// <summary>The rules with the detections compiled in, or null (after saying why) when they cannot be used.</summary>
    public async Task<CompiledRuleSet?> TryLoadAsync(CancellationToken cancellationToken)
    {
        var configuredRules = configured.Rules.Source != RulesSource.Local || configured.Rules.File.Length > 0;
        if ((request.RulesFile is null && !configuredRules) || configured.Output.Bucket.Length == 0)
        {
            error.WriteLine("backfill: rules (--rules, or CONFIG_SOURCE/CONFIG_FILE) and --output-bucket are required to process (or use --enqueue QUEUE_URL or --dry-run)");
            return null;
        }

        var ruleSet = request.RulesFile is not null
            ? RuleFiles.TryLoad(request.RulesFile, error)
            : await TryLoadConfiguredRulesAsync(cancellationToken).ConfigureAwait(false);
        if (ruleSet is null || !OptionsCheck.TryValidate(error, configured.Pipeline, configured.Output, configured.Detections))
        {
            return null;
        }

        return await TryLoadDetectionsAsync(cancellationToken).ConfigureAwait(false) is { } detectionSet
            ? ruleSet.WithDetections(detectionSet)
            : null;
    }

    /// <summary>The detections from their configured source (files, S3 or SSM), or an empty set when none is configured.</summary>
    private Task<DetectionSet?> TryLoadDetectionsAsync(CancellationToken cancellationToken)
    {
        var source = new DetectionsSource(configured.Detections, text);
        return TryLoadAsync(configured.Detections.ValidateRelations(), source.Describe, "detections", source.LoadAsync, cancellationToken);
    }

    private async Task<CompiledRuleSet?> TryLoadConfiguredRulesAsync(CancellationToken cancellationToken)
    {
        var source = new RulesTextSource(configured.Rules, text);
        var rules = await TryLoadAsync(
            configured.Rules.ValidateRelations(),
            source.Describe,
            "rules",
            async ct => RuleSetLoader.Load(await source.LoadAsync(ct).ConfigureAwait(false), source.Describe()),
            cancellationToken).ConfigureAwait(false);
        foreach (var warning in rules?.Warnings ?? [])
        {
            error.WriteLine($"warning: {warning}");
        }

        return rules;
    }

    /// <summary>Loads from a configured source once: configuration problems, invalid files and unreadable sources each get a line naming the source, and null.</summary>
    private async Task<T?> TryLoadAsync<T>(
        IEnumerable<string> configurationProblems, Func<string> describe, string what, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        if (configurationProblems.ToList() is { Count: > 0 } problems)
        {
            ConfigurationErrors.Write(error, problems.Select(p => ConfigurationProblem.Parse(p, what)));
            return null;
        }

        try
        {
            return await load(cancellationToken).ConfigureAwait(false);
        }
        catch (RuleValidationException ex)
        {
            error.WriteLine(ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException || AwsErrors.IsAwsFailure(ex))
        {
            error.WriteLine($"{describe()}: cannot read the {what}: {ex.Message}");
            return null;
        }
    }
}
