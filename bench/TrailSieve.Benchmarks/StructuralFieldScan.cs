using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Rules;

namespace TrailSieve.Benchmarks;

/// <summary>
/// An experiment, not product code: finds a record's <see cref="EvaluatedFields"/> (its top-level recipientAccountId,
/// awsRegion, eventTime and eventID strings) with the structural masks of the record reader's block scan, walking
/// only the top level token by token and skipping every nested value 64 bytes at a time. It does NOT validate the
/// record, which the product's evaluation must (its Utf8JsonReader pass is the only validation a record gets), so
/// its speed is a ceiling: what a SIMD field scan could reach if validation cost nothing. Valid records only.
/// </summary>
internal static class StructuralFieldScan
{
    private const ulong Comma = (byte)',';

    public static EvaluatedFields Scan(ReadOnlySpan<byte> record)
    {
        Range account = default, region = default, time = default, id = default;
        ref var start = ref MemoryMarshal.GetReference(record);
        var depth = 0;
        var inStringCarry = 0UL;
        var nextIsEscaped = 0UL;
        var expectKey = false;
        var keyStart = -1;
        var valueSlot = -1;
        var stringStart = -1;
        var fullBlocks = record.Length / StructuralMasks.BlockBytes;
        Span<byte> tail = stackalloc byte[StructuralMasks.BlockBytes];
        for (var b = 0; b <= fullBlocks; b++)
        {
            var at = b * StructuralMasks.BlockBytes;
            scoped ref var block = ref Unsafe.Add(ref start, at);
            if (b == fullBlocks)
            {
                if (at == record.Length)
                {
                    break;
                }

                tail.Fill((byte)' ');
                record[at..].CopyTo(tail);
                block = ref MemoryMarshal.GetReference(tail);
            }

            StructuralMasks.Classify(ref block, out var quotes, out var backslashes, out var opens, out var closes);
            var escaped = StructuralMasks.Escaped(backslashes, ref nextIsEscaped);
            var realQuotes = quotes & ~escaped;
            var inString = StructuralMasks.PrefixXor(realQuotes) ^ inStringCarry;
            inStringCarry = (ulong)((long)inString >> 63);
            opens &= ~inString;
            closes &= ~inString;
            if (depth > 1 && stringStart < 0 && depth - StructuralMasks.Count(closes) > 1)
            {
                // Inside a nested value for the whole block: only the depth matters.
                depth += StructuralMasks.Count(opens) - StructuralMasks.Count(closes);
                continue;
            }

            var commas = CommaMask(ref block) & ~inString;
            for (var events = realQuotes | opens | closes | commas; events != 0; events &= events - 1)
            {
                var bit = events & (0 - events);
                var pos = at + BitOperations.TrailingZeroCount(bit);
                if ((opens & bit) != 0)
                {
                    expectKey = ++depth == 1;
                }
                else if ((closes & bit) != 0)
                {
                    depth--;
                }
                else if ((commas & bit) != 0)
                {
                    expectKey = depth == 1;
                }
                else if (depth == 1)
                {
                    if ((inString & bit) != 0)
                    {
                        stringStart = pos + 1;
                        if (expectKey)
                        {
                            keyStart = pos + 1;
                        }
                    }
                    else if (keyStart >= 0)
                    {
                        valueSlot = Slot(record[keyStart..pos]);
                        keyStart = -1;
                        expectKey = false;
                        stringStart = -1;
                    }
                    else
                    {
                        var value = new Range(stringStart, pos);
                        switch (valueSlot)
                        {
                            case 0: account = value; break;
                            case 1: region = value; break;
                            case 2: time = value; break;
                            case 3: id = value; break;
                        }

                        valueSlot = -1;
                        stringStart = -1;
                    }
                }
            }
        }

        return new EvaluatedFields(account, region, time, id);
    }

    private static int Slot(ReadOnlySpan<byte> key) => key switch
    {
        _ when key.SequenceEqual("recipientAccountId"u8) => 0,
        _ when key.SequenceEqual("awsRegion"u8) => 1,
        _ when key.SequenceEqual("eventTime"u8) => 2,
        _ when key.SequenceEqual("eventID"u8) => 3,
        _ => -1,
    };

    private static ulong CommaMask(ref byte block)
    {
        var lo = Vector256.LoadUnsafe(ref block);
        var hi = Vector256.LoadUnsafe(ref block, 32);
        var comma = Vector256.Create((byte)Comma);
        return Vector256.Equals(lo, comma).ExtractMostSignificantBits()
            | ((ulong)Vector256.Equals(hi, comma).ExtractMostSignificantBits() << 32);
    }
}
