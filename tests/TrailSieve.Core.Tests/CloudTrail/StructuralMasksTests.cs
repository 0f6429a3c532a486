using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Core.Tests.CloudTrail;

/// <summary>The block scan's masks against a byte-by-byte reading of the same 64 bytes.</summary>
public class StructuralMasksTests
{
    [Fact]
    public void Escaped_RandomBackslashRunsWithCarry_TheByteAfterEachOddRun()
    {
        // Given random blocks of backslashes (sparse and dense runs), chained so that the carry crosses blocks
        var random = new Random(64);
        var nextIsEscaped = 0UL;
        var referenceEscaped = false;
        for (var n = 0; n < 20000; n++)
        {
            var backslashes = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
            if (n % 3 == 0)
            {
                backslashes &= (ulong)random.NextInt64();
            }

            // When
            var escaped = StructuralMasks.Escaped(backslashes, ref nextIsEscaped);

            // Then a byte is escaped exactly when the backslash before it (carried in for byte 0) starts an escape
            var expected = 0UL;
            for (var i = 0; i < 64; i++)
            {
                var isBackslash = (backslashes >> i & 1) != 0;
                if (referenceEscaped)
                {
                    expected |= 1UL << i;
                    referenceEscaped = false;
                }
                else if (isBackslash)
                {
                    referenceEscaped = true;
                }
            }

            Assert.Equal(expected, escaped);
            Assert.Equal(referenceEscaped ? 1UL : 0UL, nextIsEscaped);
        }
    }

    [Fact]
    public void PrefixXor_RandomMasks_EachBitIsTheParityOfThoseUpToIt()
    {
        var random = new Random(65);
        for (var n = 0; n < 5000; n++)
        {
            var bits = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
            var expected = 0UL;
            var parity = 0UL;
            for (var i = 0; i < 64; i++)
            {
                parity ^= bits >> i & 1;
                expected |= parity << i;
            }

            Assert.Equal(expected, StructuralMasks.PrefixXor(bits));
            Assert.Equal(expected, StructuralMasks.PrefixXorLadder(bits));
        }
    }

    [Fact]
    public void Classify_RandomBytes_MarksQuotesBackslashesAndBrackets()
    {
        // Given blocks of random bytes, the structural ones frequent, and bytes one bit away from them (0x5B|0x20 etc.)
        var random = new Random(66);
        var alphabet = "\"\\{}[]:, az\u00e9"u8.ToArray().Concat(new byte[] { 0x7B ^ 0x01, 0x5D ^ 0x20 ^ 0x40, 0xFB, 0xDD, 0x02, 0xA2 }).ToArray();
        var block = new byte[64];
        for (var n = 0; n < 2000; n++)
        {
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            // When
            StructuralMasks.Classify(ref block[0], out var quotes, out var backslashes, out var opens, out var closes);

            // Then
            Assert.Equal(Mask(block, b => b == '"'), quotes);
            Assert.Equal(Mask(block, b => b == '\\'), backslashes);
            Assert.Equal(Mask(block, b => b is (byte)'{' or (byte)'['), opens);
            Assert.Equal(Mask(block, b => b is (byte)'}' or (byte)']'), closes);
        }
    }

    private static ulong Mask(byte[] block, Func<byte, bool> test)
    {
        var mask = 0UL;
        for (var i = 0; i < 64; i++)
        {
            mask |= test(block[i]) ? 1UL << i : 0;
        }

        return mask;
    }
}
