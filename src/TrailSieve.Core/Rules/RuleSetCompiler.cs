using System.Text.RegularExpressions;

namespace TrailSieve.Core.Rules;

/// <summary>
/// Validates a <see cref="RuleSetDefinition"/> (collecting every problem) and compiles it into a
/// <see cref="CompiledRuleSet"/>: regexes built once, paths merged into one <see cref="PathNode"/> tree.
/// </summary>
internal static partial class RuleSetCompiler
{
    public const int MaxRegexLength = 1000;

    public static CompiledRuleSet? Compile(RuleSetDefinition definition, List<string> errors, IReadOnlyList<string> warnings, Detections.DetectionSet? detections = null)
    {
        if (definition.Version is { } version && !SemanticVersion().IsMatch(version))
        {
            errors.Add($"version: '{version}' is not a semantic version (MAJOR.MINOR.PATCH with optional -prerelease/+build) {definition.VersionLocation}");
        }

        var defaultAction = RuleAction.Keep;
        if (definition.DefaultAction is { } defaultText)
        {
            if (string.Equals(defaultText, "keep", StringComparison.OrdinalIgnoreCase))
            {
                defaultAction = RuleAction.Keep;
            }
            else if (string.Equals(defaultText, "drop", StringComparison.OrdinalIgnoreCase))
            {
                defaultAction = RuleAction.Drop;
            }
            else
            {
                errors.Add($"default_action: unknown value '{defaultText}' (expected keep or drop) {definition.DefaultActionLocation}");
            }
        }

        var root = CreateRoot();
        var leafCount = 0;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rules = new CompiledRule[definition.Rules.Count];
        for (var i = 0; i < definition.Rules.Count; i++)
        {
            var rule = definition.Rules[i];
            var where = rule.Describe();
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                errors.Add($"{where}: name: missing or empty {rule.Location}");
            }
            else if (seen.TryGetValue(rule.Name, out var first))
            {
                errors.Add($"{where}: name: duplicate rule name (first used by rules[{first}]) {rule.Location}");
            }
            else
            {
                seen.Add(rule.Name, i);
            }

            var action = ParseAction(rule, errors);
            var severity = Detections.Severity.Normalize(rule.Severity);
            if (rule.Severity is not null && severity is null)
            {
                errors.Add($"{where}: severity: unknown value '{rule.Severity}' (expected low, medium, high or critical) {rule.Location}");
            }

            if (rule.Matches is null or { Count: 0 })
            {
                errors.Add($"{where}: matches: at least one match is required {rule.Location}");
            }

            var matches = CompileMatches(rule, rule.Matches ?? [], root, ref leafCount, errors);
            var excludes = CompileMatches(rule, rule.ExcludeMatches, root, ref leafCount, errors);
            rules[i] = new CompiledRule
            {
                Name = rule.Name ?? string.Empty,
                Enabled = rule.Enabled,
                Action = action,
                Severity = severity,
                Matches = matches,
                Excludes = excludes,
            };
        }

        var compiledDetections = detections is null ? [] : CompileDetections(detections.Definitions, root, ref leafCount, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return new CompiledRuleSet(rules, compiledDetections, detections, definition, root, leafCount, defaultAction, warnings);
    }

    /// <summary>The tree every rule set starts from: the paths of the <see cref="EvaluatedFields"/>, captured for partitioning and findings.</summary>
    internal static PathNode CreateRoot()
    {
        var root = new PathNode("$");
        root.GetOrAddChild("recipientAccountId").FieldSlot = EvaluationState.RecipientAccountIdSlot;
        root.GetOrAddChild("awsRegion").FieldSlot = EvaluationState.AwsRegionSlot;
        root.GetOrAddChild("eventTime").FieldSlot = EvaluationState.EventTimeSlot;
        root.GetOrAddChild("eventID").FieldSlot = EvaluationState.EventIdSlot;
        root.GetOrAddChild("userIdentity").GetOrAddChild("accountId").FieldSlot = EvaluationState.IdentityAccountIdSlot;
        return root;
    }

    private static RuleAction ParseAction(RuleDefinition rule, List<string> errors)
    {
        switch (rule.Action?.ToUpperInvariant())
        {
            case null or "DROP":
                return RuleAction.Drop;
            case "KEEP":
                return RuleAction.Keep;
            case "TAG":
                return RuleAction.Tag;
            default:
                errors.Add($"{rule.Describe()}: action: unknown value '{rule.Action}' (expected drop, keep or tag) {rule.Location}");
                return RuleAction.Drop;
        }
    }

    private static CompiledMatch[] CompileMatches(RuleDefinition rule, List<MatchDefinition> definitions, PathNode root, ref int leafCount, List<string> errors)
    {
        var compiled = new CompiledMatch[definitions.Count];
        for (var j = 0; j < definitions.Count; j++)
        {
            var match = definitions[j];
            var where = $"{rule.Describe()}: {match.Label}";
            FieldPath.Segment[]? segments = null;
            if (match.FieldName is null)
            {
                errors.Add($"{where}.field_name: missing {match.Location}");
            }
            else
            {
                segments = FieldPath.TryParse(match.FieldName, out var problem);
                if (segments is null)
                {
                    errors.Add($"{where}.field_name: invalid field path '{match.FieldName}': {problem} {match.Location}");
                }
            }

            if (!match.HasOperator)
            {
                errors.Add($"{where}: no operator (give regex, equals, in, prefix, cidr or exists) {match.Location}");
            }

            var cidrs = CompileCidrs(match, where, errors);

            if (match.In is { Count: 0 })
            {
                errors.Add($"{where}.in: the list is empty {match.Location}");
            }

            var regex = match.Regex is null ? null : CompileRegex(match.Regex, match.IgnoreCase, $"{where}.{match.RegexKey}", match.Location, errors);
            var leafId = -1;
            if (segments is not null && rule.Enabled)
            {
                var node = root;
                foreach (var segment in segments)
                {
                    node = node.GetOrAddChild(segment.Name);
                    if (segment.IsArray)
                    {
                        node = node.GetOrAddElement();
                    }
                }

                if (node.LeafId < 0)
                {
                    node.LeafId = leafCount++;
                }

                leafId = node.LeafId;
            }

            compiled[j] = new CompiledMatch(leafId, regex, match.EqualsValue, match.In, match.Prefix, match.Exists, match.Not, match.IgnoreCase, cidrs);
        }

        return compiled;
    }

    private static CidrRange[]? CompileCidrs(MatchDefinition match, string where, List<string> errors)
    {
        if (match.Cidr is not { } written)
        {
            return null;
        }

        if (written.Count == 0)
        {
            errors.Add($"{where}.cidr: the list is empty {match.Location}");
            return null;
        }

        if (match.Regex is not null || match.EqualsValue is not null || match.In is not null || match.Prefix is not null || match.Exists is not null || match.IgnoreCase)
        {
            errors.Add($"{where}.cidr: cidr cannot be combined with regex, equals, in, prefix, exists or ignore_case in one match (add another match on the same field) {match.Location}");
        }

        var ranges = new CidrRange[written.Count];
        for (var i = 0; i < written.Count; i++)
        {
            if (CidrRange.TryParse(written[i].Trim(), out var problem) is { } range)
            {
                ranges[i] = range;
            }
            else
            {
                errors.Add($"{where}.cidr: '{written[i]}' is not a network: {problem} {match.Location}");
            }
        }

        return ranges;
    }

    private static Regex? CompileRegex(string pattern, bool ignoreCase, string where, string location, List<string> errors)
    {
        if (pattern.Length == 0)
        {
            errors.Add($"{where}: the regex is empty {location}");
            return null;
        }

        if (pattern.Length > MaxRegexLength)
        {
            errors.Add($"{where}: the regex is {pattern.Length} characters long; the limit is {MaxRegexLength} {location}");
            return null;
        }

        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            return new Regex(pattern, options);
        }
        catch (NotSupportedException ex)
        {
            errors.Add($"{where}: the regex is not supported by the linear-time engine (as in RE2: no lookahead/lookbehind, backreferences, atomic groups or conditionals, and a bounded automaton size): {ex.Message} {location}");
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{where}: invalid regex: {ex.Message} {location}");
        }

        return null;
    }

    // boogy/CloudTrail-Log-Parser accepts an optional leading 'v' and leading zeros; so do we, so its files load unchanged.
    [GeneratedRegex(@"^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();
}
