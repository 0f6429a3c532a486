using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Detections;

/// <summary>
/// Validated detections from one or more detection files (see <see cref="DetectionSetLoader"/>): the rule syntax's
/// detections, Sigma rules and Sigma correlation rules. Immutable; a rule set takes them in with
/// <see cref="CompiledRuleSet.WithDetections"/>, so one scan of a record serves both.
/// </summary>
public sealed class DetectionSet
{
    private readonly int[][] _feeds;
    private readonly bool[] _raisesOwn;

    internal DetectionSet(IReadOnlyList<Detection> detections, IReadOnlyList<RuleDefinition> definitions, IReadOnlyList<string> warnings)
        : this(detections, definitions, warnings, NoFeeds(detections.Count), [.. Enumerable.Repeat(true, detections.Count)])
    {
    }

    private DetectionSet(IReadOnlyList<Detection> detections, IReadOnlyList<RuleDefinition> definitions, IReadOnlyList<string> warnings, int[][] feeds, bool[] raisesOwn)
    {
        Detections = detections;
        Definitions = definitions;
        Warnings = warnings;
        _feeds = feeds;
        _raisesOwn = raisesOwn;
    }

    /// <summary>No detections.</summary>
    public static DetectionSet Empty { get; } = new([], [], []);

    /// <summary>Every detection, in file order (files in the order given).</summary>
    public IReadOnlyList<Detection> Detections { get; }

    /// <summary>Non-fatal problems (unknown keys, skipped Sigma rules), each naming the file and where.</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal IReadOnlyList<RuleDefinition> Definitions { get; }

    /// <summary>The correlation detections (indices into <see cref="Detections"/>) that hits of detection <paramref name="index"/> count towards.</summary>
    public ReadOnlySpan<int> CorrelationsFedBy(int index) => _feeds[index];

    /// <summary>
    /// Whether a hit of detection <paramref name="index"/> raises its own finding: false for a Sigma rule that only
    /// feeds correlations whose <c>generate</c> is false (Sigma's default).
    /// </summary>
    public bool RaisesOwnFindings(int index) => _raisesOwn[index];

    /// <summary>
    /// This set with every correlation's <c>rules</c> resolved (by the Sigma rule's <c>name</c> or <c>id</c>, across
    /// every file of the set); a reference to no loaded rule, or to a correlation, is an error.
    /// </summary>
    internal DetectionSet Resolve(List<string> errors)
    {
        var feeds = new List<int>[Detections.Count];
        var raisesOwn = Enumerable.Repeat(true, Detections.Count).ToArray();
        var fedByGenerating = new bool[Detections.Count];
        var fedOnlyQuiet = new bool[Detections.Count];
        for (var i = 0; i < Detections.Count; i++)
        {
            feeds[i] = [];
        }

        for (var c = 0; c < Detections.Count; c++)
        {
            if (Detections[c].Correlation is not { } correlation)
            {
                continue;
            }

            foreach (var reference in correlation.Rules)
            {
                var found = -1;
                for (var d = 0; d < Detections.Count; d++)
                {
                    if (Detections[d].Sigma is { } sigma && (sigma.RuleName == reference || (sigma.Id.Length > 0 && sigma.Id == reference)))
                    {
                        found = d;
                        break;
                    }
                }

                if (found < 0)
                {
                    errors.Add($"{Detections[c].Source}: sigma rule '{Detections[c].Name}': correlation.rules: '{reference}' is the name or id of no loaded Sigma rule");
                }
                else if (Detections[found].Correlation is not null)
                {
                    errors.Add($"{Detections[c].Source}: sigma rule '{Detections[c].Name}': correlation.rules: '{reference}' is a correlation; correlations of correlations are not supported");
                }
                else if (!feeds[found].Contains(c))
                {
                    feeds[found].Add(c);
                    if (correlation.Generate)
                    {
                        fedByGenerating[found] = true;
                    }
                    else
                    {
                        fedOnlyQuiet[found] = true;
                    }
                }
            }
        }

        for (var d = 0; d < Detections.Count; d++)
        {
            raisesOwn[d] = !fedOnlyQuiet[d] || fedByGenerating[d];
        }

        return new DetectionSet(Detections, Definitions, Warnings, [.. feeds.Select(f => f.ToArray())], raisesOwn);
    }

    /// <summary>
    /// This set without the Sigma rules and correlations below <paramref name="minimum"/> (a rule's <c>level</c>, medium
    /// when it has none), so they are neither evaluated nor raise findings; the rule syntax's detections stay. A Sigma
    /// rule below the level that a kept correlation reads stays for the correlation, but raises no findings of its own.
    /// A warning says how many were left out.
    /// </summary>
    public DetectionSet WithSigmaMinimumLevel(SigmaLevel minimum)
    {
        var below = Detections.Select(d => d.Sigma is { } sigma && (Enum.TryParse<SigmaLevel>(sigma.Level, ignoreCase: true, out var level) ? level : SigmaLevel.Medium) < minimum).ToArray();
        var keep = new bool[Detections.Count];
        for (var c = 0; c < Detections.Count; c++)
        {
            keep[c] = Detections[c].Correlation is not null && !below[c];
        }

        for (var d = 0; d < Detections.Count; d++)
        {
            if (Detections[d].Correlation is null)
            {
                keep[d] = !below[d] || _feeds[d].Any(c => keep[c]);
            }
        }

        // Kept although below the level: a rule only a kept correlation needs (a correlation below it is never kept).
        var quiet = below.Select((isBelow, d) => isBelow && keep[d]).ToArray();
        var leftOut = keep.Count(k => !k);
        var quietCount = quiet.Count(q => q);
        if (leftOut == 0 && quietCount == 0)
        {
            return this;
        }

        var kept = Enumerable.Range(0, Detections.Count).Where(i => keep[i]).ToList();
        var warnings = Warnings.Append(
            $"{leftOut} Sigma rule(s) below level {minimum.ToString().ToLowerInvariant()} left out" +
            (quietCount > 0 ? $", {quietCount} kept only for the correlations that read them" : string.Empty)).ToList();
        var errors = new List<string>();
        var resolved = new DetectionSet([.. kept.Select(i => Detections[i])], [.. kept.Select(i => Definitions[i])], warnings).Resolve(errors);
        if (errors.Count > 0)
        {
            // Every rule a kept correlation reads was kept: only a set that was never resolved can get here.
            throw new InvalidOperationException($"the set must be resolved before it is filtered by level: {errors[0]}");
        }

        var raisesOwn = kept.Select((original, index) => resolved._raisesOwn[index] && !quiet[original]).ToArray();
        return new DetectionSet(resolved.Detections, resolved.Definitions, resolved.Warnings, resolved._feeds, raisesOwn);
    }

    private static int[][] NoFeeds(int count)
    {
        var feeds = new int[count][];
        Array.Fill(feeds, []);
        return feeds;
    }
}
