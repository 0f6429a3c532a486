using TrailSieve.Core.Detections;

namespace TrailSieve.Core.Rules;

/// <summary>Detections: the rule match compiler plus severity, description and threshold.</summary>
internal static partial class RuleSetCompiler
{
    /// <summary>
    /// Validates every detection of one file (name, severity, threshold, matches) and describes each; the matches are
    /// compiled against a scratch tree here only to find their errors (<see cref="CompiledRuleSet.WithDetections"/>
    /// compiles them again into the rule set's tree).
    /// </summary>
    public static Detection[] ValidateDetections(List<RuleDefinition> definitions, string source, List<string> errors)
    {
        var scratch = CreateRoot();
        var leafCount = 0;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var detections = new Detection[definitions.Count];
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            var where = definition.Describe();
            if (string.IsNullOrWhiteSpace(definition.Name))
            {
                errors.Add($"{where}: name: missing or empty {definition.Location}");
            }
            else if (!seen.TryAdd(definition.Name, i))
            {
                errors.Add($"{where}: name: duplicate detection name (first used by detections[{seen[definition.Name]}]) {definition.Location}");
            }

            var severity = Severity.Normalize(definition.Severity);
            if (severity is null)
            {
                errors.Add(definition.Severity is null
                    ? $"{where}: severity: missing (give low, medium, high or critical) {definition.Location}"
                    : $"{where}: severity: unknown value '{definition.Severity}' (expected low, medium, high or critical) {definition.Location}");
            }

            if (definition.Matches is null or { Count: 0 })
            {
                errors.Add($"{where}: matches: at least one match is required {definition.Location}");
            }

            CompileMatches(definition, definition.Matches ?? [], scratch, ref leafCount, errors);
            CompileMatches(definition, definition.ExcludeMatches, scratch, ref leafCount, errors);
            detections[i] = new Detection(
                definition.Name ?? string.Empty,
                severity ?? Severity.Medium,
                definition.Description ?? string.Empty,
                definition.Threshold is { } threshold ? ValidateThreshold(threshold, where, errors) : null,
                source);
        }

        return detections;
    }

    /// <summary>Compiles validated detections into <paramref name="root"/>, after the rules, sharing their one scan.</summary>
    public static CompiledRule[] CompileDetections(IReadOnlyList<RuleDefinition> definitions, PathNode root, ref int leafCount, List<string> errors)
    {
        var compiled = new CompiledRule[definitions.Count];
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            if (definition.Sigma is { } sigma)
            {
                compiled[i] = CompileSigma(definition, sigma, root, ref leafCount);
                continue;
            }

            compiled[i] = new CompiledRule
            {
                Name = definition.Name ?? string.Empty,
                Enabled = definition.Enabled,
                Action = RuleAction.Tag,
                Severity = Severity.Normalize(definition.Severity),
                Matches = CompileMatches(definition, definition.Matches ?? [], root, ref leafCount, errors),
                Excludes = CompileMatches(definition, definition.ExcludeMatches, root, ref leafCount, errors),
            };
        }

        return compiled;
    }

    /// <summary>A Sigma rule's detection bound to <paramref name="root"/>'s Sigma paths, with its index guards.</summary>
    private static CompiledRule CompileSigma(RuleDefinition definition, Sigma.SigmaExpression sigma, PathNode root, ref int leafCount)
    {
        var count = leafCount;
        int LeafOf(FieldPath.Segment[] segments)
        {
            var node = root;
            foreach (var segment in segments)
            {
                node = node.GetOrAddSigmaChild(segment.Name);
            }

            if (node.LeafId < 0)
            {
                node.LeafId = count++;
            }

            return node.LeafId;
        }

        var compiled = sigma.Compile(LeafOf);
        var guards = new List<(int, byte[][])>();
        foreach (var (path, values) in sigma.Required())
        {
            if (FieldPath.TryParse(path, out _) is { } segments)
            {
                guards.Add((LeafOf(segments), [.. values.Select(v => System.Text.Encoding.UTF8.GetBytes(v))]));
            }
        }

        leafCount = count;
        return new CompiledRule
        {
            Name = definition.Name ?? string.Empty,
            Enabled = definition.Enabled,
            Action = RuleAction.Tag,
            Matches = [],
            Excludes = [],
            Sigma = compiled,
            SigmaGuards = [.. guards],
        };
    }

    private static ThresholdSpec? ValidateThreshold(ThresholdDefinition threshold, string where, List<string> errors)
    {
        var valid = true;
        if (!int.TryParse(threshold.Count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            || count < 1 || count > ThresholdSpec.MaxCount)
        {
            errors.Add($"{where}: threshold.count: '{threshold.Count}' must be a whole number from 1 to {ThresholdSpec.MaxCount} {threshold.Location}");
            valid = false;
        }

        if (!WindowText.TryParse(threshold.Window, out var window) || window <= TimeSpan.Zero || window > ThresholdSpec.MaxWindow)
        {
            errors.Add($"{where}: threshold.window: '{threshold.Window}' must be a duration above 0 and at most 1 day (e.g. 90s, 5m, 1h) {threshold.Location}");
            valid = false;
        }

        foreach (var path in threshold.GroupBy)
        {
            var segments = FieldPath.TryParse(path, out var problem);
            if (segments is null)
            {
                errors.Add($"{where}: threshold.group_by: invalid field path '{path}': {problem} {threshold.Location}");
                valid = false;
            }
            else if (segments.Any(s => s.IsArray))
            {
                errors.Add($"{where}: threshold.group_by: '{path}' traverses an array; a group is one value per record {threshold.Location}");
                valid = false;
            }
        }

        return valid ? new ThresholdSpec(count, window, [.. threshold.GroupBy]) : null;
    }
}
