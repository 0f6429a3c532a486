using TrailSieve.Core.Detections;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static TrailSieve.Core.Rules.Sigma.SigmaYaml;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>A Sigma detection rule, validated: what its findings say and the expression it matches.</summary>
internal sealed record SigmaRuleDefinition(SigmaInfo Info, string? Name, string Description, SigmaExpression Expression, string Location);

/// <summary>A Sigma correlation rule, validated; its <c>rules</c> are resolved against the loaded rules later.</summary>
internal sealed record SigmaCorrelationDefinition(SigmaInfo Info, string? Name, string Description, SigmaCorrelation Correlation, ThresholdSpec Threshold, string Location);

/// <summary>
/// Reads Sigma rule text (YAML, one or more documents) into validated rules and correlations. Every problem names the
/// rule (its title, or its document's number), the key and the reason, with the line; rules whose
/// <c>logsource</c> is not <c>product: aws</c> + <c>service: cloudtrail</c> are skipped with a warning. This type reads
/// documents, their metadata, selections and conditions; a field test is read by <see cref="SigmaFieldTestReader"/>,
/// a correlation by <see cref="SigmaCorrelationReader"/>. The subset read is the one CloudTrail rules use (see
/// docs/design/sigma.md); a modifier outside it is an error naming it, never silently ignored.
/// </summary>
internal sealed class SigmaRuleReader(List<string> errors, List<string> warnings)
{
    private readonly SigmaFieldTestReader _fieldTests = new(errors);
    private readonly SigmaCorrelationReader _correlations = new(errors);

    /// <summary>Whether <paramref name="text"/> is Sigma: some document is a mapping with <c>detection</c> and <c>logsource</c>, or <c>correlation</c>.</summary>
    public static bool IsSigmaText(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            return false;
        }

        return stream.Documents.Any(d => d.RootNode is YamlMappingNode root && IsSigmaDocument(root));
    }

    private static bool IsSigmaDocument(YamlMappingNode root)
    {
        var keys = root.Children.Keys.Select(KeyOf).ToHashSet(StringComparer.Ordinal);
        return (keys.Contains("detection") && keys.Contains("logsource")) || keys.Contains("correlation");
    }

    public (List<SigmaRuleDefinition> Rules, List<SigmaCorrelationDefinition> Correlations) Read(string text)
    {
        var rules = new List<SigmaRuleDefinition>();
        var correlations = new List<SigmaCorrelationDefinition>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
            errors.Add($"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {message}");
            return (rules, correlations);
        }

        for (var d = 0; d < stream.Documents.Count; d++)
        {
            if (stream.Documents[d].RootNode is not YamlMappingNode root)
            {
                errors.Add($"document {d + 1}: a Sigma rule is a mapping {At(stream.Documents[d].RootNode)}");
                continue;
            }

            if (root.Children.Count == 0)
            {
                continue;
            }

            if (!IsSigmaDocument(root))
            {
                // A document of global defaults (action: global) is Sigma 1's collection syntax, not supported.
                errors.Add($"document {d + 1}: not a Sigma rule (no detection + logsource, no correlation) {At(root)}");
                continue;
            }

            ReadDocument(root, d + 1, rules, correlations);
        }

        return (rules, correlations);
    }

    private void ReadDocument(YamlMappingNode root, int document, List<SigmaRuleDefinition> rules, List<SigmaCorrelationDefinition> correlations)
    {
        var title = Text(root, "title");
        var where = string.IsNullOrWhiteSpace(title) ? $"sigma document {document} (untitled)" : $"sigma rule '{title}'";
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(title))
        {
            errors.Add($"{where}: title: missing or empty {At(root)}");
        }

        var id = Text(root, "id");
        var name = Text(root, "name");
        var levelText = Text(root, "level");
        var severity = levelText is null ? Severity.Medium : LevelToSeverity(levelText);
        if (severity is null)
        {
            errors.Add($"{where}: level: unknown value '{levelText}' (expected informational, low, medium, high or critical) {At(Node(root, "level")!)}");
        }

        var info = new SigmaInfo(id ?? string.Empty, title ?? string.Empty, levelText?.ToLowerInvariant() ?? "medium", Strings(root, "tags", where, errors), Strings(root, "falsepositives", where, errors), Text(root, "status") ?? string.Empty, name ?? string.Empty);
        var description = Text(root, "description") ?? string.Empty;
        if (Node(root, "correlation") is { } correlationNode)
        {
            var parsed = _correlations.Read(correlationNode, where);
            if (parsed is { } c && errors.Count == before)
            {
                correlations.Add(new SigmaCorrelationDefinition(info, name, description, c.Correlation, c.Threshold, At(root)));
            }

            return;
        }

        if (Node(root, "logsource") is not YamlMappingNode logsource)
        {
            errors.Add($"{where}: logsource: expected a mapping {At(root)}");
            return;
        }

        var product = Text(logsource, "product");
        var service = Text(logsource, "service");
        if (!string.Equals(product, "aws", StringComparison.OrdinalIgnoreCase) || !string.Equals(service, "cloudtrail", StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add($"{where}: logsource is product '{product}', service '{service}', not aws/cloudtrail: skipped {At(logsource)}");
            return;
        }

        if (Node(root, "detection") is not YamlMappingNode detection)
        {
            errors.Add($"{where}: detection: expected a mapping {At(root)}");
            return;
        }

        var expression = ReadDetection(detection, where);
        if (expression is not null && errors.Count == before)
        {
            rules.Add(new SigmaRuleDefinition(info, name, description, expression, At(root)));
        }
    }

    /// <summary>Sigma's level as a finding's severity: informational is low, the others are themselves.</summary>
    public static string? LevelToSeverity(string level) =>
        string.Equals(level.Trim(), "informational", StringComparison.OrdinalIgnoreCase) ? Severity.Low : Severity.Normalize(level);

    private SigmaExpression? ReadDetection(YamlMappingNode detection, string where)
    {
        var selections = new Dictionary<string, SigmaExpression>(StringComparer.Ordinal);
        var names = new List<string>();
        var conditions = new List<(string Text, YamlNode Node)>();
        var ok = true;
        foreach (var (keyNode, value) in detection.Children)
        {
            var key = KeyOf(keyNode);
            switch (key)
            {
                case "condition":
                    if (value is YamlScalarNode { Value: { } single })
                    {
                        conditions.Add((single, value));
                    }
                    else if (value is YamlSequenceNode list && list.Children.All(c => c is YamlScalarNode))
                    {
                        conditions.AddRange(list.Children.Select(c => (((YamlScalarNode)c).Value ?? string.Empty, c)));
                    }
                    else
                    {
                        errors.Add($"{where}: detection.condition: expected a condition or a list of them {At(value)}");
                        ok = false;
                    }

                    break;
                case "timeframe":
                    errors.Add($"{where}: detection.timeframe: aggregations are not supported; write a correlation rule with a timespan {At(keyNode)}");
                    ok = false;
                    break;
                default:
                    var selection = ReadSelection(value, $"{where}: detection.{key}");
                    if (selection is null)
                    {
                        ok = false;
                    }
                    else
                    {
                        selections[key] = selection;
                        names.Add(key);
                    }

                    break;
            }
        }

        if (conditions.Count == 0)
        {
            errors.Add($"{where}: detection.condition: missing {At(detection)}");
            return null;
        }

        if (!ok)
        {
            return null;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        var parsed = new List<SigmaExpression>();
        foreach (var (text, node) in conditions)
        {
            var expression = SigmaCondition.TryParse(text, selections, names, used, out var problem);
            if (expression is null)
            {
                errors.Add($"{where}: detection.condition: {problem} {At(node)}");
                return null;
            }

            parsed.Add(expression);
        }

        foreach (var unused in names.Where(n => !used.Contains(n)))
        {
            warnings.Add($"{where}: detection.{unused}: not used by the condition {At(detection)}");
        }

        return parsed.Count == 1 ? parsed[0] : new SigmaExpression.Or([.. parsed]);
    }

    /// <summary>A selection: a map (AND of its fields), a list of maps (OR), or a value or list of values (keywords).</summary>
    private SigmaExpression? ReadSelection(YamlNode value, string where)
    {
        switch (value)
        {
            case YamlMappingNode map:
                return ReadMap(map, where);
            case YamlSequenceNode list when list.Children.Count > 0 && list.Children.All(c => c is YamlMappingNode):
                var alternatives = new List<SigmaExpression>();
                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (ReadMap((YamlMappingNode)list.Children[i], $"{where}[{i}]") is not { } alternative)
                    {
                        return null;
                    }

                    alternatives.Add(alternative);
                }

                return alternatives.Count == 1 ? alternatives[0] : new SigmaExpression.Or([.. alternatives]);
            case YamlSequenceNode list when list.Children.Count > 0 && list.Children.All(c => c is YamlScalarNode):
                return Keywords([.. list.Children.Cast<YamlScalarNode>()], where);
            case YamlScalarNode scalar when !IsNull(scalar):
                return Keywords([scalar], where);
            default:
                errors.Add($"{where}: expected a map of fields, a list of maps or a list of keywords {At(value)}");
                return null;
        }
    }

    private SigmaExpression.Test? Keywords(YamlScalarNode[] values, string where)
    {
        if (values.Any(IsNull))
        {
            errors.Add($"{where}: a keyword cannot be null {At(values[0])}");
            return null;
        }

        var test = new SigmaFieldTest
        {
            Kind = SigmaTestKind.Keyword,
            Label = SigmaFieldTestReader.LabelOf(where),
            Patterns = [.. values.Select(v => SigmaPattern.Create(v.Value ?? string.Empty, leading: true, trailing: true, cased: false))],
        };
        return new SigmaExpression.Test(test);
    }

    private SigmaExpression? ReadMap(YamlMappingNode map, string where)
    {
        if (map.Children.Count == 0)
        {
            errors.Add($"{where}: an empty map matches nothing {At(map)}");
            return null;
        }

        var tests = new List<SigmaExpression>();
        var ok = true;
        foreach (var (keyNode, value) in map.Children)
        {
            var test = _fieldTests.Read(KeyOf(keyNode), value, where, keyNode);
            if (test is null)
            {
                ok = false;
                continue;
            }

            tests.Add(new SigmaExpression.Test(test));
        }

        if (!ok)
        {
            return null;
        }

        return tests.Count == 1 ? tests[0] : new SigmaExpression.And([.. tests]);
    }
}
