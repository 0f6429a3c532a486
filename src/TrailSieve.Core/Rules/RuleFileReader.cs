using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrailSieve.Core.Rules;

/// <summary>
/// Turns rule-file text (YAML, so JSON too) into a <see cref="RuleSetDefinition"/>. Shape problems (wrong node kinds,
/// bad booleans) become errors; unknown keys become warnings. Semantic checks are <see cref="RuleSetCompiler"/>'s job.
/// </summary>
internal sealed class RuleFileReader
{
    private static readonly string[] s_metaKeys = ["description", "author", "tags", "created_at", "updated_at", "labels"];

    private readonly List<string> _errors;
    private readonly List<string> _warnings;
    private readonly string _listKey;

    /// <param name="errors">Collects shape problems.</param>
    /// <param name="warnings">Collects unknown keys.</param>
    /// <param name="listKey"><c>rules</c> for a rule file, <c>detections</c> for a detection file.</param>
    public RuleFileReader(List<string> errors, List<string> warnings, string listKey = "rules")
    {
        _errors = errors;
        _warnings = warnings;
        _listKey = listKey;
    }

    private bool IsDetectionFile => _listKey == "detections";

    /// <summary>
    /// Whether <paramref name="text"/> is a detection file: a mapping with a top-level <c>detections</c> key. Text that
    /// is not such a mapping (or not YAML) counts as a rule file, whose reader then reports the problem.
    /// </summary>
    public static bool IsDetectionText(string text)
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

        return stream.Documents is [{ RootNode: YamlMappingNode root }]
            && root.Children.Keys.Any(k => KeyOf(k) == "detections");
    }

    public RuleSetDefinition? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
            _errors.Add($"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {message}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            _errors.Add($"the file is empty: expected a mapping with a '{_listKey}' list");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            _errors.Add($"expected one YAML document, found {stream.Documents.Count}");
            return null;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _errors.Add($"the top level must be a mapping with a '{_listKey}' list {At(stream.Documents[0].RootNode)}");
            return null;
        }

        var definition = new RuleSetDefinition();
        var sawRules = false;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = KeyOf(keyNode);
            switch (key)
            {
                case "version":
                    definition.Version = Scalar(value, "version");
                    definition.VersionLocation = At(value);
                    break;
                case "default_action" when !IsDetectionFile:
                    definition.DefaultAction = Scalar(value, "default_action");
                    definition.DefaultActionLocation = At(value);
                    break;
                case "meta":
                    ReadMeta(value);
                    break;
                case "rules" or "detections" when key == _listKey:
                    sawRules = true;
                    ReadRules(value, definition.Rules);
                    break;
                case "rules" or "detections":
                    _errors.Add(IsDetectionFile
                        ? $"a detection file has a 'detections' list, not '{key}': filter rules go in the rules file {At(keyNode)}"
                        : $"'{key}' belongs in a detection file (--detections), not in a rules file {At(keyNode)}");
                    sawRules = true;
                    break;
                default:
                    _warnings.Add($"unknown top-level key '{key}' ignored {At(keyNode)}");
                    break;
            }
        }

        if (!sawRules)
        {
            _errors.Add($"missing '{_listKey}' list");
        }

        return definition;
    }

    private void ReadMeta(YamlNode value)
    {
        if (value is not YamlMappingNode meta)
        {
            if (!IsNull(value))
            {
                _errors.Add($"meta: expected a mapping {At(value)}");
            }

            return;
        }

        foreach (var (keyNode, _) in meta.Children)
        {
            var key = KeyOf(keyNode);
            if (Array.IndexOf(s_metaKeys, key) < 0)
            {
                _warnings.Add($"meta: unknown key '{key}' ignored {At(keyNode)}");
            }
        }
    }

    private void ReadRules(YamlNode value, List<RuleDefinition> rules)
    {
        if (value is not YamlSequenceNode sequence)
        {
            if (!IsNull(value))
            {
                _errors.Add($"rules: expected a list {At(value)}");
            }

            return;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var node = sequence.Children[i];
            var rule = new RuleDefinition { Index = i, Location = At(node), ListName = _listKey };
            rules.Add(rule);
            if (node is not YamlMappingNode mapping)
            {
                _errors.Add($"{rule.Describe()}: expected a mapping with 'name' and 'matches' {At(node)}");
                rule.Matches = [];
                continue;
            }

            // The name first, so every later message about this rule can name it.
            foreach (var (keyNode, child) in mapping.Children)
            {
                if (KeyOf(keyNode) == "name")
                {
                    rule.Name = Scalar(child, $"rules[{i}].name");
                }
            }

            foreach (var (keyNode, child) in mapping.Children)
            {
                var key = KeyOf(keyNode);
                switch (key)
                {
                    case "name":
                        break;
                    case "enabled":
                        rule.Enabled = Boolean(child, rule, "enabled") ?? true;
                        break;
                    case "action" when !IsDetectionFile:
                        rule.Action = Scalar(child, $"{rule.Describe()}: action");
                        break;
                    case "description" when IsDetectionFile:
                        rule.Description = Scalar(child, $"{rule.Describe()}: description");
                        break;
                    case "threshold" when IsDetectionFile:
                        rule.Threshold = ReadThreshold(child, rule);
                        break;
                    case "severity":
                        rule.Severity = Scalar(child, $"{rule.Describe()}: severity");
                        break;
                    case "matches":
                        rule.Matches = ReadMatches(child, rule, "matches");
                        break;
                    case "exclude_matches":
                        rule.ExcludeMatches.AddRange(ReadMatches(child, rule, "exclude_matches"));
                        break;
                    default:
                        _warnings.Add($"{rule.Describe()}: unknown key '{key}' ignored {At(keyNode)}");
                        break;
                }
            }
        }
    }

    private ThresholdDefinition? ReadThreshold(YamlNode value, RuleDefinition rule)
    {
        if (value is not YamlMappingNode mapping)
        {
            _errors.Add($"{rule.Describe()}: threshold: expected a mapping with count, window and optional group_by {At(value)}");
            return null;
        }

        var threshold = new ThresholdDefinition { Location = At(value) };
        foreach (var (keyNode, child) in mapping.Children)
        {
            var key = KeyOf(keyNode);
            var field = $"{rule.Describe()}: threshold.{key}";
            switch (key)
            {
                case "count":
                    threshold.Count = Scalar(child, field);
                    break;
                case "window":
                    threshold.Window = Scalar(child, field);
                    break;
                case "group_by":
                    threshold.GroupBy.AddRange(ScalarList(child, field) ?? []);
                    break;
                default:
                    _warnings.Add($"{rule.Describe()}: threshold: unknown key '{key}' ignored {At(keyNode)}");
                    break;
            }
        }

        return threshold;
    }

    private List<MatchDefinition> ReadMatches(YamlNode value, RuleDefinition rule, string listName)
    {
        var result = new List<MatchDefinition>();
        if (value is not YamlSequenceNode sequence)
        {
            if (!IsNull(value))
            {
                _errors.Add($"{rule.Describe()}: {listName}: expected a list {At(value)}");
            }

            return result;
        }

        for (var j = 0; j < sequence.Children.Count; j++)
        {
            var node = sequence.Children[j];
            var match = new MatchDefinition { Label = $"{listName}[{j}]", Location = At(node) };
            result.Add(match);
            if (node is not YamlMappingNode mapping)
            {
                _errors.Add($"{rule.Describe()}: {match.Label}: expected a mapping with 'field_name' and an operator {At(node)}");
                continue;
            }

            foreach (var (keyNode, child) in mapping.Children)
            {
                var key = KeyOf(keyNode);
                var field = $"{rule.Describe()}: {match.Label}.{key}";
                switch (key)
                {
                    case "field_name":
                        match.FieldName = Scalar(child, field);
                        break;
                    case "regex":
                    case "matches":
                        // wolfeidau/cloudtrail-log-processor spells the regex 'matches'; boogy spells it 'regex'.
                        if (match.Regex is not null)
                        {
                            _errors.Add($"{field}: give the regex once, as 'regex' or 'matches', not both {At(keyNode)}");
                        }

                        match.Regex = Scalar(child, field);
                        match.RegexKey = key;
                        break;
                    case "equals":
                        match.EqualsValue = Scalar(child, field);
                        break;
                    case "in":
                        match.In = ScalarList(child, field);
                        break;
                    case "prefix":
                        match.Prefix = Scalar(child, field);
                        break;
                    case "cidr":
                        match.Cidr = ScalarList(child, field);
                        break;
                    case "exists":
                        match.Exists = Boolean(child, rule, $"{match.Label}.exists");
                        break;
                    case "not":
                        match.Not = Boolean(child, rule, $"{match.Label}.not") ?? false;
                        break;
                    case "ignore_case":
                        match.IgnoreCase = Boolean(child, rule, $"{match.Label}.ignore_case") ?? false;
                        break;
                    default:
                        _warnings.Add($"{rule.Describe()}: {match.Label}: unknown key '{key}' ignored {At(keyNode)}");
                        break;
                }
            }
        }

        return result;
    }

    private string? Scalar(YamlNode node, string field)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        _errors.Add($"{field}: expected a single value, found a {KindOf(node)} {At(node)}");
        return null;
    }

    private List<string>? ScalarList(YamlNode node, string field)
    {
        if (node is not YamlSequenceNode sequence)
        {
            _errors.Add($"{field}: expected a list of values, found a {KindOf(node)} {At(node)}");
            return null;
        }

        var values = new List<string>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            var value = Scalar(item, field);
            if (value is not null)
            {
                values.Add(value);
            }
        }

        return values;
    }

    private bool? Boolean(YamlNode node, RuleDefinition rule, string field)
    {
        if (node is YamlScalarNode { Value: { } text })
        {
            if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        _errors.Add($"{rule.Describe()}: {field}: expected true or false {At(node)}");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string KeyOf(YamlNode key) => key is YamlScalarNode { Value: { } text } ? text : key.ToString();

    private static string KindOf(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };

    internal static string At(YamlNode node) =>
        string.Create(CultureInfo.InvariantCulture, $"(line {node.Start.Line}, column {node.Start.Column})");
}
