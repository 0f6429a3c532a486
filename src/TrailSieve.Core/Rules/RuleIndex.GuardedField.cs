using System.Numerics;

namespace TrailSieve.Core.Rules;

internal sealed partial class RuleIndex
{
    /// <summary>One field that guards some rules: for each value, the rules it lets through; values bucketed by length.</summary>
    private sealed class GuardedField(int leafId, ulong[] guarded, GuardedField.Entry[][] byLength, bool ignoreCase)
    {
        /// <summary>How many rules this field guards.</summary>
        public int GuardedCount { get; } = guarded.Sum(w => BitOperations.PopCount(w));

        /// <summary>Whether any of <paramref name="candidates"/> is guarded by this field (else it can remove none).</summary>
        public bool Guards(ReadOnlySpan<ulong> candidates)
        {
            for (var w = 0; w < candidates.Length; w++)
            {
                if ((candidates[w] & guarded[w]) != 0)
                {
                    return true;
                }
            }

            return false;
        }

        public void Narrow(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures, Span<ulong> candidates)
        {
            var head = heads[leafId];
            ReadOnlySpan<ulong> passing = default;
            if (head >= 0)
            {
                if (!TryExactValue(record, captures[head], out var value) || (ignoreCase && !System.Text.Ascii.IsValid(value)))
                {
                    // Ignoring case, a non-ASCII value could equal an ASCII one (U+0131 is 'I' upper-cased): narrow nothing.
                    return;
                }

                passing = Lookup(value);
            }

            // A rule this field guards stays only if the value is one of its values; the others are untouched.
            for (var w = 0; w < candidates.Length; w++)
            {
                candidates[w] &= ~guarded[w] | (passing.IsEmpty ? 0 : passing[w]);
            }
        }

        private ReadOnlySpan<ulong> Lookup(ReadOnlySpan<byte> value)
        {
            if (value.Length >= byLength.Length)
            {
                return default;
            }

            foreach (var entry in byLength[value.Length])
            {
                if (ignoreCase ? System.Text.Ascii.EqualsIgnoreCase(value, entry.Value) : value.SequenceEqual(entry.Value))
                {
                    return entry.Rules;
                }
            }

            return default;
        }

        public sealed record Entry(byte[] Value, ulong[] Rules);

        public sealed class Builder(int leafId, int words, bool ignoreCase)
        {
            private readonly ulong[] _guarded = new ulong[words];

            // Ignoring case, keys are ASCII (Sigma guards only ASCII values), so OrdinalIgnoreCase is ASCII's.
            private readonly Dictionary<string, (byte[] Value, ulong[] Rules)> _values = new(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

            /// <summary>Guards rule <paramref name="rule"/> by <paramref name="values"/>, unless a match of it guards by this field already.</summary>
            public void TryGuard(int rule, byte[][] values)
            {
                var bit = 1UL << (rule % 64);
                if ((_guarded[rule / 64] & bit) != 0)
                {
                    return;
                }

                _guarded[rule / 64] |= bit;
                foreach (var value in values)
                {
                    // Keyed by the bytes (as Latin-1, one char per byte, so any byte sequence is a distinct key).
                    var key = string.Create(value.Length, value, static (chars, bytes) =>
                    {
                        for (var i = 0; i < bytes.Length; i++)
                        {
                            chars[i] = (char)bytes[i];
                        }
                    });
                    if (!_values.TryGetValue(key, out var entry))
                    {
                        _values.Add(key, entry = (value, new ulong[words]));
                    }

                    entry.Rules[rule / 64] |= bit;
                }
            }

            public GuardedField Build()
            {
                var longest = _values.Values.Select(v => v.Value.Length).DefaultIfEmpty(0).Max();
                var byLength = new Entry[longest + 1][];
                for (var length = 0; length <= longest; length++)
                {
                    byLength[length] = [.. _values.Values.Where(v => v.Value.Length == length).Select(v => new Entry(v.Value, v.Rules))];
                }

                return new GuardedField(leafId, _guarded, byLength, ignoreCase);
            }
        }
    }
}
