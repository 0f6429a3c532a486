using System.Buffers;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// Finds where a record (a JSON object) ends by tracking strings, escapes and nesting with vectorised searches.
/// It does not validate the record: the rules evaluator's one <see cref="System.Text.Json.Utf8JsonReader"/> pass
/// (<see cref="Rules.PathTreeScanner"/>) does.
/// </summary>
internal static class RecordBoundaryScanner
{
    private static readonly SearchValues<byte> s_structural = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> s_stringEnd = SearchValues.Create("\"\\"u8);

    /// <summary>
    /// Scans <paramref name="record"/> (starting at its <c>{</c>) from <see cref="CloudTrailReaderState.ScanOffset"/>.
    /// Returns true with the record's length once its closing brace is seen; otherwise saves how far it got.
    /// </summary>
    public static bool TryFindEnd(in ReadOnlySequence<byte> record, ref CloudTrailReaderState state, int maxDepth, out long length)
    {
        long segmentStart = 0;
        foreach (var memory in record)
        {
            var span = memory.Span;
            var segmentEnd = segmentStart + span.Length;
            if (segmentEnd <= state.ScanOffset)
            {
                segmentStart = segmentEnd;
                continue;
            }

            var i = (int)(state.ScanOffset - segmentStart);
            while (i < span.Length)
            {
                if (state.Escaped)
                {
                    state.Escaped = false;
                    i++;
                }
                else if (state.InString)
                {
                    var next = span[i..].IndexOfAny(s_stringEnd);
                    if (next < 0)
                    {
                        i = span.Length;
                        break;
                    }

                    i += next;
                    if (span[i] == (byte)'\\')
                    {
                        state.Escaped = true;
                    }
                    else
                    {
                        state.InString = false;
                    }

                    i++;
                }
                else
                {
                    var next = span[i..].IndexOfAny(s_structural);
                    if (next < 0)
                    {
                        i = span.Length;
                        break;
                    }

                    i += next;
                    var c = span[i++];
                    if (c == (byte)'"')
                    {
                        state.InString = true;
                    }
                    else if (c is (byte)'{' or (byte)'[')
                    {
                        if (++state.Depth > maxDepth)
                        {
                            throw new CloudTrailFormatException(
                                CloudTrailErrorKind.TooDeep, $"record {state.RecordCount} nests deeper than the maximum depth of {maxDepth}");
                        }
                    }
                    else if (--state.Depth == 0)
                    {
                        length = segmentStart + i;
                        state.ScanOffset = 0;
                        return true;
                    }
                }
            }

            state.ScanOffset = segmentStart + i;
            segmentStart = segmentEnd;
        }

        length = 0;
        return false;
    }
}
