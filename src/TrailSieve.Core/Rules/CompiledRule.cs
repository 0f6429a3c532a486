namespace TrailSieve.Core.Rules;

/// <summary>One validated rule: it fires when every match hits and not every exclude match hits.</summary>
internal sealed class CompiledRule
{
    public required string Name { get; init; }

    public required bool Enabled { get; init; }

    public required RuleAction Action { get; init; }

    public string? Severity { get; init; }

    public required CompiledMatch[] Matches { get; init; }

    public required CompiledMatch[] Excludes { get; init; }

    public bool Fires(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures) =>
        Enabled && AllHit(Matches, record, heads, captures) && !(Excludes.Length > 0 && AllHit(Excludes, record, heads, captures));

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
