using System.Numerics;
using System.Text.Json;

namespace TrailSieve.Core.Rules;

/// <summary>
/// Which rules of a list can fire on a record, found from a few field values instead of by trying every rule.
/// <para>
/// A rule is guarded by a field when one of its matches needs that field to equal one of a few values
/// (<see cref="CompiledMatch.RequiredValues"/>: <c>equals</c> or <c>in</c>, case-sensitive, not negated). Most rules
/// and detections are guarded by <c>eventName</c>, <c>eventSource</c> or <c>userIdentity.type</c>. Per record, each
/// guarded field is looked up once: a rule stays a candidate only if every field that guards it has one of its values.
/// Unguarded rules are always candidates.
/// </para>
/// <para>
/// The index only ever removes rules that cannot fire, so evaluating the candidates in order gives exactly what
/// evaluating every rule gives (first hit for filter rules, every hit for detections). Where a lookup cannot be exact
/// (the field captured more than once, through an array or a repeated key, or a string value with JSON escapes), the
/// field narrows nothing. Immutable and thread-safe.
/// </para>
/// </summary>
internal sealed partial class RuleIndex
{
    private readonly ulong[] _enabled;
    private readonly GuardedField[] _fields;

    private RuleIndex(int count, ulong[] enabled, GuardedField[] fields)
    {
        Count = count;
        _enabled = enabled;
        _fields = fields;
    }

    /// <summary>How many rules the index covers.</summary>
    public int Count { get; }

    /// <summary>The <see cref="ulong"/> words a candidate set for <see cref="Count"/> rules takes.</summary>
    public int Words => _enabled.Length;

    public static RuleIndex Build(IReadOnlyList<CompiledRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var words = (rules.Count + 63) / 64;
        var enabled = new ulong[words];
        var byLeaf = new Dictionary<int, GuardedField.Builder>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (!rule.Enabled)
            {
                continue;
            }

            enabled[i / 64] |= 1UL << (i % 64);
            foreach (var (leafId, values, ignoreCase) in rule.Guards())
            {
                if (!byLeaf.TryGetValue(leafId, out var builder))
                {
                    // A leaf is a rule path's or a Sigma path's (PathNode.IsSigma), so its guards all compare one way.
                    byLeaf.Add(leafId, builder = new GuardedField.Builder(leafId, words, ignoreCase));
                }

                // One guard per rule and field: a second match on the field only narrows further, which the rule's own
                // evaluation does anyway.
                builder.TryGuard(i, values);
            }
        }

        // The fields that guard the most rules first: on a typical record they leave few candidates, and a field none
        // of whose rules is still a candidate is skipped without a lookup.
        return new RuleIndex(rules.Count, enabled, [.. byLeaf.Values.Select(b => b.Build()).OrderByDescending(f => f.GuardedCount)]);
    }

    /// <summary>
    /// Writes into <paramref name="candidates"/> (<see cref="Words"/> words) the set of rules that can fire on the record
    /// whose scan produced <paramref name="heads"/> and <paramref name="captures"/>.
    /// </summary>
    public void Candidates(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures, Span<ulong> candidates)
    {
        _enabled.CopyTo(candidates);
        foreach (var field in _fields)
        {
            if (!field.Guards(candidates))
            {
                continue;
            }

            field.Narrow(record, heads, captures, candidates);
            if (!candidates.ContainsAnyExcept(0UL))
            {
                return;
            }
        }
    }

    /// <summary>The index of the first rule in <paramref name="candidates"/> at or after <paramref name="from"/>, or -1.</summary>
    public static int Next(ReadOnlySpan<ulong> candidates, int from)
    {
        var word = from / 64;
        if (word >= candidates.Length)
        {
            return -1;
        }

        var bits = candidates[word] & (ulong.MaxValue << (from % 64));
        while (bits == 0)
        {
            if (++word == candidates.Length)
            {
                return -1;
            }

            bits = candidates[word];
        }

        return (word * 64) + BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>The raw bytes a lookup can use (string content, or a number's or literal's text), or false when it cannot be exact.</summary>
    private static bool TryExactValue(ReadOnlySpan<byte> record, in CapturedValue capture, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (capture.Next >= 0 || capture.Escaped)
        {
            return false;
        }

        if (capture.Kind is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False)
        {
            value = record.Slice(capture.Start, capture.Length);
        }

        // Objects, arrays and null are exact too: no value operator hits them (an empty value matches no guard).
        return true;
    }
}
