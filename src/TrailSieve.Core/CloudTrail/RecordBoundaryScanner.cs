using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// Finds where an element of <c>Records</c> (an object, an array or a string) ends by tracking strings, escapes and
/// nesting: 64 bytes at a time with <see cref="StructuralMasks"/> (simdjson's stage 1), byte by byte with vectorised
/// searches for the rest (a segment's tail shorter than a block, a string element, a block with a backslash outside
/// any string). It does not validate the element: the rules evaluator's one <see cref="System.Text.Json.Utf8JsonReader"/>
/// pass (<see cref="Rules.PathTreeScanner"/>) does for records, and the document reader does for the non-objects it keeps.
/// </summary>
/// <remarks>
/// Both ways give the same end, depth, string and escape state for every input, valid JSON or not: the scalar way
/// (the reference, <c>vectorized: false</c>) honours a backslash only inside a string, the block way honours every
/// backslash, so a block where the masks put a backslash outside a string (never valid JSON) is scanned the scalar way.
/// Up to the first such backslash the two agree byte for byte, which is why that one check is enough.
/// </remarks>
internal static class RecordBoundaryScanner
{
    private static readonly SearchValues<byte> s_structural = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> s_stringEnd = SearchValues.Create("\"\\"u8);

    private enum BlockResult
    {
        Continue,
        Ended,
        NeedsScalar,
    }

    /// <summary>
    /// Scans <paramref name="data"/> from <see cref="CloudTrailReaderState.ScanOffset"/>, continuing the element whose
    /// depth, string and escape state <paramref name="state"/> holds (a fresh state: <paramref name="data"/> starts at the
    /// element's first byte). Returns true with the length up to the element's last byte once it ends; otherwise saves
    /// how far it got. Nesting past <see cref="RecordReaderOptions.MaxDepth"/> sets
    /// <see cref="CloudTrailReaderState.TooDeep"/> and the scan goes on, so that the caller can stream past the element.
    /// </summary>
    public static bool TryFindEnd(in ReadOnlySequence<byte> data, ref CloudTrailReaderState state, RecordReaderOptions options, out long length) =>
        TryFindEnd(data, ref state, options.MaxDepth, Vector128.IsHardwareAccelerated && !options.ScalarBoundaryScan, out length);

    /// <summary>
    /// <see cref="TryFindEnd(in ReadOnlySequence{byte}, ref CloudTrailReaderState, RecordReaderOptions, out long)"/> with
    /// the block scan on or off: off is the scalar reference the tests compare the block scan with.
    /// </summary>
    internal static bool TryFindEnd(in ReadOnlySequence<byte> data, ref CloudTrailReaderState state, int maxDepth, bool vectorized, out long length)
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
            if (ScanSegment(span, ref i, ref state, maxDepth, vectorized))
            {
                length = segmentStart + i;
                state.ScanOffset = 0;
                return true;
            }

            state.ScanOffset = segmentEnd;
            segmentStart = segmentEnd;
        }

        length = 0;
        return false;
    }

    /// <summary>Scans <paramref name="span"/> from <paramref name="i"/>; true with <paramref name="i"/> just past the element's end.</summary>
    private static bool ScanSegment(ReadOnlySpan<byte> span, ref int i, ref CloudTrailReaderState state, int maxDepth, bool vectorized)
    {
        while (i < span.Length)
        {
            int limit;
            if (state.Depth == 0)
            {
                // The element's first byte opens it (then blocks can follow), or the element is a string, scanned to
                // its end the scalar way: a block has no notion of a string at depth 0 ending the element.
                limit = state.InString || state.Escaped ? span.Length : i + 1;
            }
            else if (!vectorized || span.Length - i < StructuralMasks.BlockBytes)
            {
                limit = span.Length;
            }
            else
            {
                switch (ScanBlock(ref Unsafe.Add(ref MemoryMarshal.GetReference(span), i), ref state, maxDepth, out var end))
                {
                    case BlockResult.Continue:
                        i += StructuralMasks.BlockBytes;
                        continue;
                    case BlockResult.Ended:
                        i += end;
                        return true;
                    default:
                        limit = i + StructuralMasks.BlockBytes;
                        break;
                }
            }

            if (ScanScalar(span[..limit], ref i, ref state, maxDepth))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One 64-byte block at depth 1 or more. Ended gives, in <paramref name="end"/>, the offset just past the element's
    /// last byte; NeedsScalar leaves <paramref name="state"/> as it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BlockResult ScanBlock(ref byte block, ref CloudTrailReaderState state, int maxDepth, out int end)
    {
        end = 0;
        StructuralMasks.Classify(ref block, out var quotes, out var backslashes, out var opens, out var closes);
        var nextIsEscaped = state.Escaped ? 1UL : 0UL;
        var escaped = StructuralMasks.Escaped(backslashes, ref nextIsEscaped);
        var inString = StructuralMasks.PrefixXor(quotes & ~escaped) ^ (state.InString ? ulong.MaxValue : 0);
        if ((backslashes & ~inString) != 0)
        {
            return BlockResult.NeedsScalar;
        }

        opens &= ~inString;
        closes &= ~inString;
        var depth = state.Depth;
        var openCount = StructuralMasks.Count(opens);
        var closeCount = StructuralMasks.Count(closes);
        if (depth > closeCount && (state.TooDeep || depth + openCount <= maxDepth))
        {
            // The depth cannot reach 0, nor pass the limit for the first time, inside this block: no need to walk it.
            state.Depth = depth + openCount - closeCount;
        }
        else
        {
            for (var brackets = opens | closes; brackets != 0; brackets &= brackets - 1)
            {
                var bit = brackets & (0 - brackets);
                if ((opens & bit) != 0)
                {
                    if (++depth > maxDepth)
                    {
                        state.TooDeep = true;
                    }
                }
                else if (--depth == 0)
                {
                    // A bracket outside any string, with no escape pending (a backslash outside a string was ruled out).
                    end = BitOperations.TrailingZeroCount(bit) + 1;
                    state.Depth = 0;
                    state.InString = false;
                    state.Escaped = false;
                    return BlockResult.Ended;
                }
            }

            state.Depth = depth;
        }

        state.InString = (long)inString < 0;
        state.Escaped = nextIsEscaped != 0;
        return BlockResult.Continue;
    }

    /// <summary>The reference scan, byte by byte with vectorised searches, to the end of <paramref name="span"/>.</summary>
    private static bool ScanScalar(ReadOnlySpan<byte> span, ref int i, ref CloudTrailReaderState state, int maxDepth)
    {
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
                    return true;
                }
            }
        }

        return false;
    }
}
