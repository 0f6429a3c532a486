namespace TrailSieve.Core.Rules.Sigma;

/// <summary>
/// A Sigma rule's detection as one boolean expression over field tests: selections (a map is AND, a list of maps is
/// OR) with the condition applied to them. Immutable: compiled into each rule set's path tree with
/// <see cref="Compile"/>.
/// </summary>
internal abstract record SigmaExpression
{
    public abstract SigmaNode Compile(Func<FieldPath.Segment[], int> leafOf);

    /// <summary>
    /// For the rule index: per field test leaf, the values (case-insensitive) one of which the field must have
    /// whenever the expression is true; empty when nothing is required. Only ever a superset of what matches.
    /// </summary>
    public abstract Dictionary<string, HashSet<string>> Required();

    public sealed record And(SigmaExpression[] Items) : SigmaExpression
    {
        public override SigmaNode Compile(Func<FieldPath.Segment[], int> leafOf) => new SigmaNode.AndNode([.. Items.Select(i => i.Compile(leafOf))]);

        public override Dictionary<string, HashSet<string>> Required()
        {
            // Each item must hold, so each item's requirement holds: keep the first seen per field (either is a superset).
            var all = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var item in Items)
            {
                foreach (var (field, values) in item.Required())
                {
                    all.TryAdd(field, values);
                }
            }

            return all;
        }
    }

    public sealed record Or(SigmaExpression[] Items) : SigmaExpression
    {
        public override SigmaNode Compile(Func<FieldPath.Segment[], int> leafOf) => new SigmaNode.OrNode([.. Items.Select(i => i.Compile(leafOf))]);

        public override Dictionary<string, HashSet<string>> Required()
        {
            // Only a field every alternative requires is required, with the union of their values.
            Dictionary<string, HashSet<string>>? common = null;
            foreach (var item in Items)
            {
                var required = item.Required();
                if (common is null)
                {
                    common = required.ToDictionary(p => p.Key, p => new HashSet<string>(p.Value, StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
                    continue;
                }

                foreach (var field in common.Keys.ToList())
                {
                    if (required.TryGetValue(field, out var values))
                    {
                        common[field].UnionWith(values);
                    }
                    else
                    {
                        common.Remove(field);
                    }
                }
            }

            return common ?? new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        }
    }

    public sealed record Not(SigmaExpression Item) : SigmaExpression
    {
        public override SigmaNode Compile(Func<FieldPath.Segment[], int> leafOf) => new SigmaNode.NotNode(Item.Compile(leafOf));

        public override Dictionary<string, HashSet<string>> Required() => new(StringComparer.Ordinal);
    }

    public sealed record Test(SigmaFieldTest Field) : SigmaExpression
    {
        public override SigmaNode Compile(Func<FieldPath.Segment[], int> leafOf) => new SigmaNode.TestNode(Field.Compile(leafOf));

        public override Dictionary<string, HashSet<string>> Required()
        {
            var required = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            if (Field.Field is { } path && Field.RequiredValues() is { } values)
            {
                required.Add(path, new HashSet<string>(values, StringComparer.OrdinalIgnoreCase));
            }

            return required;
        }
    }
}

/// <summary>A compiled <see cref="SigmaExpression"/>: evaluated on the captures of one record's scan.</summary>
internal abstract class SigmaNode
{
    public abstract bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures);

    public sealed class AndNode(SigmaNode[] items) : SigmaNode
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures)
        {
            foreach (var item in items)
            {
                if (!item.Evaluate(record, heads, captures))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public sealed class OrNode(SigmaNode[] items) : SigmaNode
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures)
        {
            foreach (var item in items)
            {
                if (item.Evaluate(record, heads, captures))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public sealed class NotNode(SigmaNode item) : SigmaNode
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures) =>
            !item.Evaluate(record, heads, captures);
    }

    public sealed class TestNode(CompiledSigmaTest test) : SigmaNode
    {
        public CompiledSigmaTest Test { get; } = test;

        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures) =>
            Test.IsHit(record, heads, captures);
    }
}
