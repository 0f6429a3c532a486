using System.Text.Json;

namespace TrailSieve.Core.Rules;

/// <summary>
/// The single <see cref="Utf8JsonReader"/> pass over a record. It walks the record and the <see cref="PathNode"/> tree
/// together, captures referenced values and the <see cref="EvaluatedFields"/>, and skips (while still validating) everything else.
/// </summary>
internal static class PathTreeScanner
{
    // CloudTrail nests requestParameters/responseElements arbitrarily; be more forgiving than the default 64.
    // The record reader enforces the configured depth (RecordReaderOptions.MaxDepth, at most 4096); this is only a ceiling.
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 4096 };

    /// <exception cref="JsonException">The record is not exactly one valid JSON object.</exception>
    public static void Scan(ReadOnlySpan<byte> record, PathNode root, ref EvaluationState state)
    {
        var reader = new Utf8JsonReader(record, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A CloudTrail record must be a JSON object.");
        }

        ScanObject(ref reader, root, ref state);
        if (reader.Read())
        {
            throw new JsonException("Unexpected data after the record's JSON object.");
        }
    }

    private static void ScanObject(ref Utf8JsonReader reader, PathNode node, ref EvaluationState state)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var child = node.FindChild(ref reader);
            reader.Read();
            if (child is null)
            {
                reader.Skip();
            }
            else if (child.Twin is { } twin)
            {
                VisitBoth(ref reader, child, twin, ref state);
            }
            else
            {
                Visit(ref reader, child, ref state);
            }
        }
    }

    /// <summary>
    /// A value a rule path (<paramref name="rule"/>) and a Sigma path (<paramref name="sigma"/>) both read. An object is
    /// walked once, each property looked up in both nodes' children (every record's <c>userIdentity</c> is such an
    /// object, and walking it twice cost a fifth of the evaluation); anything else is visited once per node, the Sigma
    /// node on a copy of the reader (a scalar costs no walk; an array's two traversals differ, see <see cref="PathNode.IsSigma"/>).
    /// </summary>
    private static void VisitBoth(ref Utf8JsonReader reader, PathNode rule, PathNode sigma, ref EvaluationState state)
    {
        if (reader.TokenType != JsonTokenType.StartObject || rule.Children.Length == 0 || sigma.Children.Length == 0)
        {
            var copy = reader;
            Visit(ref copy, sigma, ref state);
            Visit(ref reader, rule, ref state);
            return;
        }

        var start = (int)reader.TokenStartIndex;
        if (rule.LeafId >= 0)
        {
            state.Add(rule.LeafId, start, 0, JsonTokenType.StartObject, escaped: false);
        }

        var captured = sigma.LeafId >= 0 ? state.Add(sigma.LeafId, start, 0, JsonTokenType.StartObject, escaped: false) : -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Twins hang only off rule nodes, and a Sigma node's children are Sigma nodes: neither child has a twin.
            var ruleChild = rule.FindChild(ref reader);
            var sigmaChild = sigma.FindChild(ref reader);
            reader.Read();
            if (ruleChild is null && sigmaChild is null)
            {
                reader.Skip();
            }
            else if (sigmaChild is null)
            {
                Visit(ref reader, ruleChild!, ref state);
            }
            else if (ruleChild is null)
            {
                Visit(ref reader, sigmaChild, ref state);
            }
            else
            {
                VisitBoth(ref reader, ruleChild, sigmaChild, ref state);
            }
        }

        if (captured >= 0)
        {
            state.SetLength(captured, (int)reader.TokenStartIndex + 1 - start);
        }
    }

    /// <summary>
    /// A Sigma node's object or array: an array's elements are visited as this node (so a path goes through arrays),
    /// an object's properties by this node's children; a captured container gets its JSON text's length.
    /// </summary>
    private static void VisitSigmaContainer(ref Utf8JsonReader reader, PathNode node, ref EvaluationState state, int captured)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            if (node.LeafId >= 0 || node.Children.Length > 0)
            {
                ScanArray(ref reader, node, ref state);
            }
            else
            {
                reader.Skip();
            }
        }
        else if (node.Children.Length > 0)
        {
            ScanObject(ref reader, node, ref state);
        }
        else
        {
            reader.Skip();
        }

        if (captured >= 0)
        {
            state.SetLength(captured, (int)reader.TokenStartIndex + 1 - start);
        }
    }

    private static void ScanArray(ref Utf8JsonReader reader, PathNode element, ref EvaluationState state)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Visit(ref reader, element, ref state);
        }
    }

    private static void Visit(ref Utf8JsonReader reader, PathNode node, ref EvaluationState state)
    {
        var kind = reader.TokenType;
        var start = (int)reader.TokenStartIndex;
        if (kind == JsonTokenType.String)
        {
            // TokenStartIndex is the opening quote; ValueSpan is the raw (possibly escaped) content.
            start++;
            if (node.FieldSlot >= 0)
            {
                state.SetField(node.FieldSlot, new Range(start, start + reader.ValueSpan.Length));
            }
        }

        var container = kind is JsonTokenType.StartObject or JsonTokenType.StartArray;
        var captured = -1;
        if (node.LeafId >= 0)
        {
            captured = state.Add(node.LeafId, start, container ? 0 : reader.ValueSpan.Length, kind, reader.ValueIsEscaped);
        }

        if (node.IsSigma && container)
        {
            VisitSigmaContainer(ref reader, node, ref state, captured);
            return;
        }

        if (kind == JsonTokenType.StartObject)
        {
            if (node.Children.Length > 0)
            {
                ScanObject(ref reader, node, ref state);
            }
            else
            {
                reader.Skip();
            }
        }
        else if (kind == JsonTokenType.StartArray)
        {
            if (node.Element is { } element)
            {
                ScanArray(ref reader, element, ref state);
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
