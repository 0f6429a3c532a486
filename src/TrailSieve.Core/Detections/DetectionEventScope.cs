namespace TrailSieve.Core.Detections;

/// <summary>
/// The <c>eventSource</c> and <c>eventName</c> values a detection can fire on, read from its matches: each match's
/// <see cref="Rules.MatchDefinition.RequiredValues"/> on the top-level field narrows them (several narrow to their
/// intersection). Null means any value. A caller that reads records in bulk (the monthly report) picks the candidates
/// with it, then evaluates the detection itself on each, so the scope only has to be a superset of the hits.
/// </summary>
/// <param name="EventSources">The eventSource values a hit can have, or null for any.</param>
/// <param name="EventNames">The eventName values a hit can have, or null for any.</param>
/// <param name="Enabled">False for a detection written with <c>enabled: false</c>, which never fires.</param>
/// <param name="Fields">The record's top-level fields its matches and exclusions read (<c>requestParameters</c> for
/// <c>requestParameters.role</c>), so a caller that rebuilds records knows which it needs.</param>
public sealed record DetectionEventScope(IReadOnlyList<string>? EventSources, IReadOnlyList<string>? EventNames, bool Enabled, IReadOnlyList<string> Fields)
{
    /// <summary>The scope of <paramref name="set"/>'s detection at <paramref name="index"/> (an index into <see cref="DetectionSet.Detections"/>).</summary>
    public static DetectionEventScope Of(DetectionSet set, int index)
    {
        ArgumentNullException.ThrowIfNull(set);
        var definition = set.Definitions[index];
        var fields = (definition.Matches ?? []).Concat(definition.ExcludeMatches)
            .Select(m => m.FieldName?.Split('.')[0] is { Length: > 0 } top ? top.Replace("[]", string.Empty, StringComparison.Ordinal) : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        return new DetectionEventScope(Values(definition, "eventSource"), Values(definition, "eventName"), definition.Enabled, [.. fields]);
    }

    private static List<string>? Values(Rules.RuleDefinition definition, string field)
    {
        List<string>? values = null;
        foreach (var match in definition.Matches ?? [])
        {
            if (match.FieldName == field && match.RequiredValues is { } allowed)
            {
                values = values is null ? [.. allowed.Distinct(StringComparer.Ordinal)] : [.. values.Intersect(allowed, StringComparer.Ordinal)];
            }
        }

        return values;
    }
}
