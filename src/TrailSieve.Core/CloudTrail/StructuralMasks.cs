using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// simdjson's stage 1 over one 64-byte block, one bit per byte: where the quotes, backslashes and brackets are, which
/// bytes a backslash escapes, and which bytes are inside a string. With these, a scan moves 64 bytes at a time instead
/// of stopping at every quote, as <see cref="System.Buffers.SearchValues{T}"/> searches must.
/// </summary>
/// <remarks>
/// Uses <see cref="Vector256"/> where it is accelerated (x64 AVX2), else <see cref="Vector128"/> (SSE2, arm64
/// AdvSimd); callers keep a scalar path for when <see cref="Vector128.IsHardwareAccelerated"/> is false.
/// </remarks>
internal static class StructuralMasks
{
    public const int BlockBytes = 64;

    private const ulong OddBits = 0xAAAA_AAAA_AAAA_AAAA;

    /// <summary>
    /// Classifies the 64 bytes at <paramref name="block"/>: bit i of each mask is byte i being a quote, a backslash, an
    /// opening bracket (<c>{</c> or <c>[</c>) or a closing one (<c>}</c> or <c>]</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Classify(ref byte block, out ulong quotes, out ulong backslashes, out ulong opens, out ulong closes)
    {
        // '{' 0x7B and '[' 0x5B differ only in bit 0x20, as do '}' 0x7D and ']' 0x5D: one OR, then one compare each.
        if (Vector256.IsHardwareAccelerated)
        {
            var lo = Vector256.LoadUnsafe(ref block);
            var hi = Vector256.LoadUnsafe(ref block, 32);
            var quote = Vector256.Create((byte)'"');
            var backslash = Vector256.Create((byte)'\\');
            var caseBit = Vector256.Create((byte)0x20);
            var open = Vector256.Create((byte)'{');
            var close = Vector256.Create((byte)'}');
            var loFolded = lo | caseBit;
            var hiFolded = hi | caseBit;
            quotes = Bits(Vector256.Equals(lo, quote), Vector256.Equals(hi, quote));
            backslashes = Bits(Vector256.Equals(lo, backslash), Vector256.Equals(hi, backslash));
            opens = Bits(Vector256.Equals(loFolded, open), Vector256.Equals(hiFolded, open));
            closes = Bits(Vector256.Equals(loFolded, close), Vector256.Equals(hiFolded, close));
        }
        else
        {
            var v0 = Vector128.LoadUnsafe(ref block);
            var v1 = Vector128.LoadUnsafe(ref block, 16);
            var v2 = Vector128.LoadUnsafe(ref block, 32);
            var v3 = Vector128.LoadUnsafe(ref block, 48);
            quotes = Bits(v0, v1, v2, v3, (byte)'"', fold: false);
            backslashes = Bits(v0, v1, v2, v3, (byte)'\\', fold: false);
            opens = Bits(v0, v1, v2, v3, (byte)'{', fold: true);
            closes = Bits(v0, v1, v2, v3, (byte)'}', fold: true);
        }
    }

    /// <summary>
    /// The bytes a backslash escapes: the one after each odd-length run of backslashes (simdjson's escape scanner).
    /// <paramref name="nextIsEscaped"/> (0 or 1) carries from block to block: in, whether the previous block ended
    /// with an unfinished escape; out, whether this one does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Escaped(ulong backslashes, ref ulong nextIsEscaped)
    {
        if (backslashes == 0)
        {
            var carried = nextIsEscaped;
            nextIsEscaped = 0;
            return carried;
        }

        // A backslash that is itself escaped starts no escape. Subtracting the run starts from the odd bits turns each
        // run into alternating bits whose phase says whether the run's length is odd; XOR with the odd bits brings the
        // escaped byte after an odd run to 1 and clears the others.
        var potential = backslashes & ~nextIsEscaped;
        var maybeEscapedAndOdd = (potential << 1) | OddBits;
        var escapeAndTerminal = (maybeEscapedAndOdd - potential) ^ OddBits;
        var escaped = escapeAndTerminal ^ (backslashes | nextIsEscaped);
        nextIsEscaped = (escapeAndTerminal & backslashes) >> 63;
        return escaped;
    }

    /// <summary>
    /// Bit i is the XOR of bits 0..i: from the mask of real (unescaped) quotes, the bytes inside a string, the opening
    /// quote counted in and the closing one out. A carry-less multiply by all ones where the hardware has one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PrefixXor(ulong bits)
    {
        if (Pclmulqdq.IsSupported)
        {
            return Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(bits), Vector128.Create(ulong.MaxValue), 0).ToScalar();
        }

        if (ArmAes.IsSupported)
        {
            return ArmAes.PolynomialMultiplyWideningLower(Vector64.CreateScalar(bits), Vector64.Create(ulong.MaxValue)).ToScalar();
        }

        return PrefixXorLadder(bits);
    }

    /// <summary><see cref="PrefixXor"/> by shifts and XORs, for hardware without a carry-less multiply.</summary>
    public static ulong PrefixXorLadder(ulong bits)
    {
        bits ^= bits << 1;
        bits ^= bits << 2;
        bits ^= bits << 4;
        bits ^= bits << 8;
        bits ^= bits << 16;
        bits ^= bits << 32;
        return bits;
    }

    /// <summary>Number of set bits, for the depth bookkeeping of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Count(ulong bits) => BitOperations.PopCount(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(Vector256<byte> lo, Vector256<byte> hi) =>
        lo.ExtractMostSignificantBits() | ((ulong)hi.ExtractMostSignificantBits() << 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, Vector128<byte> v3, byte value, bool fold)
    {
        var target = Vector128.Create(value);
        if (fold)
        {
            var caseBit = Vector128.Create((byte)0x20);
            v0 |= caseBit;
            v1 |= caseBit;
            v2 |= caseBit;
            v3 |= caseBit;
        }

        return Vector128.Equals(v0, target).ExtractMostSignificantBits()
            | ((ulong)Vector128.Equals(v1, target).ExtractMostSignificantBits() << 16)
            | ((ulong)Vector128.Equals(v2, target).ExtractMostSignificantBits() << 32)
            | ((ulong)Vector128.Equals(v3, target).ExtractMostSignificantBits() << 48);
    }
}
