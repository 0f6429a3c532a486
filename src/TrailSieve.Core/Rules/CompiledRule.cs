namespace TrailSieve.Core.Rules;

/// <summary>
/// One validated rule: it fires when every match hits and not every exclude match hits; a Sigma rule fires when its
/// compiled detection (<see cref="Sigma"/>) is true.
/// </summary>
internal sealed class CompiledRule
{
    public required string Name { get; init; }

    public required bool Enabled { get; init; }

    public required RuleAction Action { get; init; }

    public string? Severity { get; init; }

    public required CompiledMatch[] Matches { get; init; }

    public required CompiledMatch[] Excludes { get; init; }

    /// <summary>A Sigma rule's detection, evaluated instead of the matches; null for the rule syntax.</summary>
    public Sigma.SigmaNode? Sigma { get; init; }

    /// <summary>
    /// For the rule index: the capture lists whose value must be one of a few values for the rule to fire, each with
    /// those values as UTF-8 and whether they compare ignoring (ASCII) case, as Sigma's do.
    /// </summary>
    public IEnumerable<(int LeafId, byte[][] Values, bool IgnoreCase)> Guards()
    {
        foreach (var guard in SigmaGuards)
        {
            yield return (guard.LeafId, guard.Values, true);
        }

        foreach (var match in Matches)
        {
            if (match.RequiredValues is { } values)
            {
                yield return (match.LeafId, values, false);
            }
        }
    }

    /// <summary>The Sigma detection's required values by capture list (<see cref="Sigma.SigmaExpression.Required"/>).</summary>
    public (int LeafId, byte[][] Values)[] SigmaGuards { get; init; } = [];

    public bool Fires(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures) =>
        Enabled && (Sigma is { } sigma
            ? sigma.Evaluate(record, heads, captures)
            : AllHit(Matches, record, heads, captures) && !(Excludes.Length > 0 && AllHit(Excludes, record, heads, captures)));

    private static bool AllHit(CompiledMatch[] matches, ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures)
    {
        foreach (var match in matches)
        {
            if (!match.IsHit(record, heads, captures))
            {
                return false;
            }
        }

        return true;
    }
}
