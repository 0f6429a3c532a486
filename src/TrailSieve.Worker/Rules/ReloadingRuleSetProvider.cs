using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Rules;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Rules;

/// <summary>
/// The rules in force for the service (Polly's reloadable-component pattern): compiled once per load into an
/// immutable set that filter workers read without locks; a reload that fails to fetch or compile keeps the last
/// good set, logged and counted. Detections, when configured, are fetched with every load and compiled into the same
/// set (one scan per record evaluates both); an invalid detection file fails the load like an invalid rules file.
/// </summary>
internal sealed class ReloadingRuleSetProvider(RulesTextSource source, DetectionsSource detections, TrailSieveMetrics metrics, ILogger<ReloadingRuleSetProvider> logger) : IRuleSetProvider
{
    private CompiledRuleSet? _current;

    public CompiledRuleSet Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("rules have not been loaded yet");

    /// <summary>How long the last successful load took (the <c>ConfigLoadTime</c> metric).</summary>
    public TimeSpan LastLoadTime { get; private set; }

    /// <summary>
    /// The first load: a failure here stops the service (there is no last good set to keep). Reads go through the
    /// shared retry pipeline (S3TextReader, SsmParameterReader), so a transient failure is retried and what is left is
    /// final: access denied, no such key or parameter, an invalid file.
    /// </summary>
    /// <exception cref="RulesLoadException">The rules or the detections cannot be used; its problems name the setting.</exception>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var rules = await LoadFromAsync(
            source.Setting,
            source.Describe(),
            async ct => RuleSetLoader.Load(await source.LoadAsync(ct).ConfigureAwait(false), source.Describe()),
            cancellationToken).ConfigureAwait(false);
        if (detections.Enabled)
        {
            var set = await LoadFromAsync(DetectionsSetting, detections.Describe(), detections.LoadAsync, cancellationToken).ConfigureAwait(false);
            foreach (var warning in set.Warnings)
            {
                Detections.Log.DetectionsWarning(logger, warning);
            }

            rules = rules.WithDetections(set);
            Detections.Log.DetectionsLoaded(logger, detections.Describe(), set.Detections.Count);
        }

        LastLoadTime = stopwatch.Elapsed;
        metrics.RulesLoaded(LastLoadTime);
        foreach (var warning in rules.Warnings)
        {
            Log.RulesWarning(logger, warning);
        }

        Volatile.Write(ref _current, rules);
        Log.RulesLoaded(logger, source.Describe(), rules.RuleNames.Count, (long)LastLoadTime.TotalMilliseconds);
    }

    /// <summary>The setting that says where the detections are, for messages.</summary>
    private string DetectionsSetting => detections.Describe() switch
    {
        var d when d.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) => "Detections:S3Path",
        var d when d.StartsWith("ssm:", StringComparison.Ordinal) => "Detections:SsmParameter",
        _ => "Detections:File",
    };

    private static async Task<T> LoadFromAsync<T>(string setting, string description, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        try
        {
            return await load(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw RulesLoadException.From(setting, description, ex);
        }
    }

    /// <summary>A refresh: on any failure (a read error, or a file that no longer compiles) the last good set stays in force, logged and counted.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
            metrics.RulesReload(success: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.RulesReload(success: false);
            Log.RulesReloadFailed(logger, source.Describe(), ex.Message);
        }
    }

    /// <summary>Reloads every <paramref name="interval"/> until cancelled; a zero or negative interval never reloads.</summary>
    public Task RefreshEveryAsync(TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        interval <= TimeSpan.Zero
            ? Task.CompletedTask
            : Hosting.Periodic.RunAsync(
                interval,
                timeProvider,
                async ct =>
                {
                    await ReloadAsync(ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken);
}
