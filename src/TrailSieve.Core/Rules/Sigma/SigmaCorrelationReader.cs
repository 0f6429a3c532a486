using System.Globalization;
using TrailSieve.Core.Detections;
using YamlDotNet.RepresentationModel;
using static TrailSieve.Core.Rules.Sigma.SigmaYaml;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>
/// Reads a Sigma rule's <c>correlation</c> mapping (event_count, value_count, temporal; rules, group-by, timespan,
/// condition, generate) into what the threshold machinery counts. What a stream cannot evaluate (temporal_ordered,
/// aliases, lt/lte/eq/neq/range, a timespan above a day) is an error naming it; problems go to <c>errors</c>.
/// </summary>
internal sealed class SigmaCorrelationReader(List<string> errors)
{
    /// <summary>The correlation and its threshold, or null after adding why it cannot be read.</summary>
    public (SigmaCorrelation Correlation, ThresholdSpec Threshold)? Read(YamlNode node, string where)
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

        var references = Strings(map, "rules", where, errors);
        if (references.Count == 0)
        {
            errors.Add($"{where}: correlation.rules: at least one rule name or id is required {At(map)}");
        }

        var groupBy = Strings(map, "group-by", where, errors);
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
}
