using System.Text;
using TrailSieve.Core.Batching;

namespace TrailSieve.Core.Tests.Batching;

public class PartitionResolverTests
{
    [Theory]
    [InlineData("111122223333", "111122223333")]
    [InlineData("us-east-1", "us-east-1")]
    [InlineData("a_b-C9", "a_b-C9")]
    [InlineData("../../etc", "______etc")]
    [InlineData("a/b", "a_b")]
    [InlineData(@"a\b", "a_b")]
    [InlineData("/abs", "_abs")]
    [InlineData(".", "_")]
    [InlineData("..", "__")]
    [InlineData("a.b", "a_b")]
    [InlineData("a b", "a_b")]
    [InlineData("a:b*c?d", "a_b_c_d")]
    [InlineData("a\tb\nc\0d\u007f", "a_b_c_d_")]
    public void Sanitize_Value_OnlyKeySafeCharacters(string value, string expected)
    {
        Assert.Equal(expected, PartitionResolver.Sanitize(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void Sanitize_Empty_Unknown()
    {
        Assert.Equal("unknown", PartitionResolver.Sanitize([]));
    }

    [Theory]
    [InlineData("é", "_")]
    [InlineData("ü-1", "_-1")]
    [InlineData("日本", "__")]
    [InlineData("😀", "__")]
    public void Sanitize_NonAscii_EachUtf16UnitReplaced(string value, string expected)
    {
        // Letters outside ASCII are letters to char.IsLetter, but not key-safe everywhere (S3 tooling, shells, Athena paths)
        Assert.Equal(expected, PartitionResolver.Sanitize(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void Sanitize_InvalidUtf8_Replaced()
    {
        Assert.Equal("a_b", PartitionResolver.Sanitize([(byte)'a', 0xFF, (byte)'b']));
    }

    [Fact]
    public void Sanitize_Overlong_CutAt64Bytes()
    {
        var value = new string('a', 200);

        var sanitized = PartitionResolver.Sanitize(Encoding.UTF8.GetBytes(value));

        Assert.Equal(new string('a', 64), sanitized);
    }

    [Fact]
    public void Sanitize_OverlongCutInsideACharacter_StillKeySafe()
    {
        // Given 63 ASCII bytes then a two-byte character: the 64-byte cut falls inside it
        var value = new string('a', 63) + "é";

        var sanitized = PartitionResolver.Sanitize(Encoding.UTF8.GetBytes(value));

        Assert.Equal(new string('a', 63) + "_", sanitized);
    }

    [Fact]
    public void Sanitize_AnyByteValue_NeverASeparatorOrDot()
    {
        // Every single byte, and every pair of bytes: the result is made of [A-Za-z0-9_-] only
        for (var b = 0; b < 256; b++)
        {
            AssertKeySafe(PartitionResolver.Sanitize([(byte)b]));
            for (var c = 0; c < 256; c += 17)
            {
                AssertKeySafe(PartitionResolver.Sanitize([(byte)b, (byte)c]));
            }
        }
    }

    private static void AssertKeySafe(string value)
    {
        Assert.NotEmpty(value);
        Assert.All(value, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{value}' has '{c}'"));
    }
}
