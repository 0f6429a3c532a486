using System.Globalization;
using System.Text.RegularExpressions;
using TrailSieve.Core.Detections;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>A Sigma detection rule, validated: what its findings say and the expression it matches.</summary>
internal sealed record SigmaRuleDefinition(SigmaInfo Info, string? Name, string Description, SigmaExpression Expression, string Location);

/// <summary>A Sigma correlation rule, validated; its <c>rules</c> are resolved against the loaded rules later.</summary>
internal sealed record SigmaCorrelationDefinition(SigmaInfo Info, string? Name, string Description, SigmaCorrelation Correlation, ThresholdSpec Threshold, string Location);

/// <summary>
/// Reads Sigma rule text (YAML, one or more documents) into validated rules and correlations. Every problem names the
/// rule (its title, or its document's number), the key and the reason, with the line; rules whose
/// <c>logsource</c> is not <c>product: aws</c> + <c>service: cloudtrail</c> are skipped with a warning. The subset
/// read is the one CloudTrail rules use (see docs/design/detections.md, "Sigma rules"); a modifier outside it is an
/// error naming it, never silently ignored.
/// </summary>
internal sealed class SigmaRuleReader(List<string> errors, List<string> warnings)
{
    private static readonly HashSet<string> s_unsupportedModifiers = new(StringComparer.Ordinal)
    {
        "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash", "expand",
        "minute", "hour", "day", "week", "month", "year",
    };

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

        var info = new SigmaInfo(id ?? string.Empty, title ?? string.Empty, levelText?.ToLowerInvariant() ?? "medium", Strings(root, "tags", where), Strings(root, "falsepositives", where), Text(root, "status") ?? string.Empty, name ?? string.Empty);
        var description = Text(root, "description") ?? string.Empty;
        if (Node(root, "correlation") is { } correlationNode)
        {
            var parsed = ReadCorrelation(correlationNode, where);
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
            Label = LabelOf(where),
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
            var test = ReadFieldTest(KeyOf(keyNode), value, where, keyNode);
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

    private SigmaFieldTest? ReadFieldTest(string key, YamlNode value, string selectionWhere, YamlNode keyNode)
    {
        var parts = key.Split('|');
        var field = parts[0];
        var where = $"{selectionWhere}.{key}";
        var location = At(keyNode);
        var label = LabelOf(where);
        if (field.Length == 0)
        {
            errors.Add($"{where}: a field name is required before the modifiers {location}");
            return null;
        }

        var segments = FieldPath.TryParse(field, out var pathProblem);
        if (segments is null || segments.Any(s => s.IsArray))
        {
            errors.Add($"{where}: invalid field path '{field}': {pathProblem ?? "Sigma paths have no [] (a path goes through arrays by itself)"} {location}");
            return null;
        }

        var modifiers = new List<string>();
        for (var i = 1; i < parts.Length; i++)
        {
            var modifier = parts[i];
            if (s_unsupportedModifiers.Contains(modifier))
            {
                errors.Add($"{where}: modifier '{modifier}' is not supported (it encodes values for Windows or time-part logs, not for CloudTrail's JSON) {location}");
                return null;
            }

            if (modifier is not ("contains" or "startswith" or "endswith" or "all" or "re" or "i" or "m" or "s" or "cidr" or "fieldref" or "exists" or "cased" or "gt" or "gte" or "lt" or "lte"))
            {
                errors.Add($"{where}: unknown modifier '{modifier}' {location}");
                return null;
            }

            if (modifiers.Contains(modifier))
            {
                errors.Add($"{where}: modifier '{modifier}' is given twice {location}");
                return null;
            }

            modifiers.Add(modifier);
        }

        var values = new List<YamlScalarNode?>();
        switch (value)
        {
            case YamlScalarNode scalar:
                values.Add(IsNull(scalar) ? null : scalar);
                break;
            case YamlSequenceNode list when list.Children.Count > 0 && list.Children.All(c => c is YamlScalarNode):
                values.AddRange(list.Children.Cast<YamlScalarNode>().Select(s => IsNull(s) ? null : s));
                break;
            default:
                errors.Add($"{where}: expected a value or a list of values {At(value)}");
                return null;
        }

        var all = modifiers.Remove("all");
        var cased = modifiers.Remove("cased");
        var texts = values.Select(v => v?.Value ?? string.Empty).ToList();
        var hasNull = values.Any(v => v is null);
        string? Only(params string[] allowed) => modifiers.FirstOrDefault(m => !allowed.Contains(m));
        bool Fail(string reason)
        {
            errors.Add($"{where}: {reason} {location}");
            return false;
        }

        if (hasNull && (all || modifiers.Count > 0))
        {
            Fail("null is a value of its own: it takes no modifier and no 'all'");
            return null;
        }

        if (modifiers.Contains("exists"))
        {
            var other = Only("exists");
            if (other is not null || all || cased)
            {
                Fail($"'exists' stands alone (found '{other ?? (all ? "all" : "cased")}')");
                return null;
            }

            if (values.Count != 1 || values[0] is not { } flag || !bool.TryParse(flag.Value, out var exists))
            {
                Fail("'exists' takes true or false");
                return null;
            }

            return new SigmaFieldTest { Kind = SigmaTestKind.Exists, Label = label, Field = field, Segments = segments, ExistsValue = exists };
        }

        if (modifiers.Contains("cidr"))
        {
            var other = Only("cidr");
            if (other is not null || cased)
            {
                Fail($"'cidr' stands alone (found '{other ?? "cased"}')");
                return null;
            }

            var cidrs = new List<CidrRange>();
            foreach (var text in texts)
            {
                if (CidrRange.TryParse(text, out var problem) is not { } range)
                {
                    Fail($"invalid network '{text}': {problem}");
                    return null;
                }

                cidrs.Add(range);
            }

            return new SigmaFieldTest { Kind = SigmaTestKind.Cidr, Label = label, Field = field, Segments = segments, Cidrs = [.. cidrs], All = all };
        }

        if (modifiers.Contains("re"))
        {
            var other = Only("re", "i", "m", "s");
            if (other is not null || cased)
            {
                Fail($"'re' takes only the flags i, m and s (found '{other ?? "cased"}'; a regex is case-sensitive unless re|i)");
                return null;
            }

            var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant
                | (modifiers.Contains("i") ? RegexOptions.IgnoreCase : RegexOptions.None)
                | (modifiers.Contains("m") ? RegexOptions.Multiline : RegexOptions.None)
                | (modifiers.Contains("s") ? RegexOptions.Singleline : RegexOptions.None);
            var regexes = new List<Regex>();
            foreach (var text in texts)
            {
                if (CompileRegex(text, options, where, location) is not { } regex)
                {
                    return null;
                }

                regexes.Add(regex);
            }

            // re|i compares ignoring case, which a byte search cannot: those regexes always run.
            byte[]?[] literals = [.. texts.Select(t => (options & RegexOptions.IgnoreCase) != 0 ? null : RegexLiteral.Required(t))];
            return new SigmaFieldTest { Kind = SigmaTestKind.Regex, Label = label, Field = field, Segments = segments, Regexes = [.. regexes], RegexLiterals = literals, All = all };
        }

        if (modifiers.Any(m => m is "i" or "m" or "s"))
        {
            Fail("the flags i, m and s belong to 're'");
            return null;
        }

        if (modifiers.FirstOrDefault(m => m is "gt" or "gte" or "lt" or "lte") is { } op)
        {
            var other = Only(op);
            if (other is not null || cased)
            {
                Fail($"'{op}' stands alone (found '{other ?? "cased"}')");
                return null;
            }

            var comparisons = new List<(string, double)>();
            foreach (var text in texts)
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    Fail($"'{op}' needs a number, not '{text}'");
                    return null;
                }

                comparisons.Add((op, number));
            }

            return new SigmaFieldTest { Kind = SigmaTestKind.Compare, Label = label, Field = field, Segments = segments, Comparisons = [.. comparisons], All = all };
        }

        var affixes = modifiers.Where(m => m is "contains" or "startswith" or "endswith").ToList();
        if (affixes.Count > 1)
        {
            Fail($"'{affixes[0]}' and '{affixes[1]}' cannot be combined");
            return null;
        }

        var affix = affixes.Count == 1 ? affixes[0] : null;
        if (modifiers.Remove("fieldref"))
        {
            var references = new List<FieldPath.Segment[]>();
            foreach (var text in texts)
            {
                var reference = FieldPath.TryParse(text, out var problem);
                if (reference is null || reference.Any(s => s.IsArray))
                {
                    Fail($"'fieldref' needs a field path, not '{text}': {problem ?? "no []"}");
                    return null;
                }

                references.Add(reference);
            }

            return new SigmaFieldTest
            {
                Kind = SigmaTestKind.FieldRef,
                Label = label,
                Field = field,
                Segments = segments,
                RefFields = [.. references],
                All = all,
                Cased = cased,
                RefMode = affix switch
                {
                    "contains" => SigmaRefMode.Contains,
                    "startswith" => SigmaRefMode.StartsWith,
                    "endswith" => SigmaRefMode.EndsWith,
                    _ => SigmaRefMode.Equals,
                },
            };
        }

        var patterns = new List<SigmaPattern>();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                continue;
            }

            patterns.Add(SigmaPattern.Create(texts[i], leading: affix is "contains" or "endswith", trailing: affix is "contains" or "startswith", cased));
        }

        return new SigmaFieldTest { Kind = SigmaTestKind.Patterns, Label = label, Field = field, Segments = segments, Patterns = [.. patterns], MatchesNull = hasNull, All = all, Cased = cased };
    }

    /// <summary>The part of a message's prefix after the rule: <c>detection.selection.eventName</c>.</summary>
    private static string LabelOf(string where)
    {
        var at = where.IndexOf(": detection.", StringComparison.Ordinal);
        return at < 0 ? where : where[(at + 2)..];
    }

    private Regex? CompileRegex(string pattern, RegexOptions options, string where, string location)
    {
        if (pattern.Length == 0 || pattern.Length > RuleSetCompiler.MaxRegexLength)
        {
            errors.Add($"{where}: the regex must have 1 to {RuleSetCompiler.MaxRegexLength} characters {location}");
            return null;
        }

        try
        {
            return new Regex(pattern, options);
        }
        catch (NotSupportedException ex)
        {
            errors.Add($"{where}: the regex is not supported by the linear-time engine (as in RE2: no lookahead/lookbehind, backreferences, atomic groups or conditionals): {ex.Message} {location}");
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{where}: invalid regex: {ex.Message} {location}");
        }

        return null;
    }

    private (SigmaCorrelation Correlation, ThresholdSpec Threshold)? ReadCorrelation(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add($"{where}: correlation: expected a mapping {At(node)}");
            return null;
        }

        var before = errors.Count;
        var typeText = Text(map, "type");
        var kind = typeText switch
        {
            "event_count" => SigmaCorrelationKind.EventCount,
            "value_count" => SigmaCorrelationKind.ValueCount,
            "temporal" => SigmaCorrelationKind.Temporal,
            _ => (SigmaCorrelationKind?)null,
        };
        if (kind is null)
        {
            errors.Add(typeText == "temporal_ordered"
                ? $"{where}: correlation.type: temporal_ordered is not supported (the stream's hits arrive out of eventTime order; use temporal) {At(map)}"
                : $"{where}: correlation.type: '{typeText}' (expected event_count, value_count or temporal) {At(map)}");
        }

        if (Node(map, "aliases") is { } aliases)
        {
            errors.Add($"{where}: correlation.aliases: not supported (group-by fields must have the same name in every rule) {At(aliases)}");
        }

        var references = Strings(map, "rules", where);
        if (references.Count == 0)
        {
            errors.Add($"{where}: correlation.rules: at least one rule name or id is required {At(map)}");
        }

        var groupBy = Strings(map, "group-by", where);
        foreach (var path in groupBy)
        {
            var segments = FieldPath.TryParse(path, out var problem);
            if (segments is null || segments.Any(s => s.IsArray))
            {
                errors.Add($"{where}: correlation.group-by: invalid field path '{path}': {problem ?? "no []"} {At(map)}");
            }
        }

        var timespanText = Text(map, "timespan") ?? Text(map, "timeframe");
        if (!WindowText.TryParse(timespanText, out var timespan) || timespan <= TimeSpan.Zero || timespan > ThresholdSpec.MaxWindow)
        {
            errors.Add($"{where}: correlation.timespan: '{timespanText}' must be a duration above 0 and at most 1 day (e.g. 90s, 5m, 1h) {At(map)}");
        }

        var generate = false;
        if (Text(map, "generate") is { } generateText && !bool.TryParse(generateText, out generate))
        {
            errors.Add($"{where}: correlation.generate: expected true or false {At(map)}");
        }

        string? valueField = null;
        var count = kind == SigmaCorrelationKind.Temporal ? references.Count : 0;
        var conditionNode = Node(map, "condition");
        if (conditionNode is YamlMappingNode condition)
        {
            foreach (var (keyNode, value) in condition.Children)
            {
                var key = KeyOf(keyNode);
                var text = (value as YamlScalarNode)?.Value;
                if (key == "field")
                {
                    valueField = text;
                    continue;
                }

                if (key is not ("gte" or "gt"))
                {
                    errors.Add(key is "lt" or "lte" or "eq" or "neq" or "range"
                        ? $"{where}: correlation.condition.{key}: not supported: a stream can only fire when a count is reached (gte or gt), not when a window closes below one {At(keyNode)}"
                        : $"{where}: correlation.condition: unknown key '{key}' {At(keyNode)}");
                    continue;
                }

                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number + (key == "gt" ? 1 : 0) < 1)
                {
                    errors.Add($"{where}: correlation.condition.{key}: '{text}' must be a whole number {At(value)}");
                    continue;
                }

                count = number + (key == "gt" ? 1 : 0);
            }
        }
        else if (conditionNode is not null || kind is SigmaCorrelationKind.EventCount or SigmaCorrelationKind.ValueCount)
        {
            errors.Add($"{where}: correlation.condition: expected a mapping with gte or gt {At(conditionNode ?? map)}");
        }

        if (kind == SigmaCorrelationKind.ValueCount && valueField is null)
        {
            errors.Add($"{where}: correlation.condition.field: value_count needs the field whose distinct values are counted {At(map)}");
        }
        else if (valueField is not null && (FieldPath.TryParse(valueField, out var fieldProblem) is not { } fieldSegments || fieldSegments.Any(s => s.IsArray)))
        {
            errors.Add($"{where}: correlation.condition.field: invalid field path '{valueField}' {At(map)}");
        }

        if (count > ThresholdSpec.MaxCount)
        {
            errors.Add($"{where}: correlation.condition: {count} is above the most a group can count ({ThresholdSpec.MaxCount}) {At(map)}");
        }

        if (errors.Count > before || kind is null)
        {
            return null;
        }

        return (new SigmaCorrelation(kind.Value, [.. references], valueField, generate), new ThresholdSpec(Math.Max(1, count), timespan, [.. groupBy]));
    }

    private List<string> Strings(YamlMappingNode map, string key, string where)
    {
        switch (Node(map, key))
        {
            case null:
                return [];
            case YamlScalarNode scalar when IsNull(scalar):
                return [];
            case YamlScalarNode scalar:
                return [scalar.Value ?? string.Empty];
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                return [.. list.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? string.Empty)];
            case { } other:
                errors.Add($"{where}: {key}: expected a list of values {At(other)}");
                return [];
        }
    }

    private static YamlNode? Node(YamlMappingNode map, string key)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            if (KeyOf(keyNode) == key)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Text(YamlMappingNode map, string key) =>
        Node(map, key) is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string KeyOf(YamlNode key) => key is YamlScalarNode { Value: { } text } ? text : key.ToString();

    private static string At(YamlNode node) => RuleFileReader.At(node);
}
