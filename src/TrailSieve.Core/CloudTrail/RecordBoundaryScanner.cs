using System.Buffers;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// Finds where an element of <c>Records</c> (an object, an array or a string) ends by tracking strings, escapes and
/// nesting with vectorised searches. It does not validate the element: the rules evaluator's one
/// <see cref="System.Text.Json.Utf8JsonReader"/> pass (<see cref="Rules.PathTreeScanner"/>) does for records, and the
/// document reader does for the non-objects it keeps.
/// </summary>
internal static class RecordBoundaryScanner
{
    private static readonly SearchValues<byte> s_structural = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> s_stringEnd = SearchValues.Create("\"\\"u8);

    /// <summary>
    /// Scans <paramref name="data"/> from <see cref="CloudTrailReaderState.ScanOffset"/>, continuing the element whose
    /// depth, string and escape state <paramref name="state"/> holds (a fresh state: <paramref name="data"/> starts at the
    /// element's first byte). Returns true with the length up to the element's last byte once it ends; otherwise saves
    /// how far it got. Nesting past <paramref name="maxDepth"/> sets <see cref="CloudTrailReaderState.TooDeep"/> and
    /// the scan goes on, so that the caller can stream past the element.
    /// </summary>
    public static bool TryFindEnd(in ReadOnlySequence<byte> data, ref CloudTrailReaderState state, int maxDepth, out long length)
    {
        long segmentStart = 0;
        foreach (var memory in data)
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
                    if (span[i++] == (byte)'\\')
                    {
                        state.Escaped = true;
                    }
                    else
                    {
                        state.InString = false;
                        if (state.Depth == 0)
                        {
                            // The element itself was a string.
                            length = segmentStart + i;
                            state.ScanOffset = 0;
                            return true;
                        }
                    }
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
                            state.TooDeep = true;
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
