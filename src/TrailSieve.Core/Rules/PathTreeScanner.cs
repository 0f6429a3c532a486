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
            else
            {
                if (child.Twin is { } twin)
                {
                    // A rule path and a Sigma path read this value: the twin walks it on a copy of the reader.
                    var copy = reader;
                    Visit(ref copy, twin, ref state);
                }

                Visit(ref reader, child, ref state);
            }
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
