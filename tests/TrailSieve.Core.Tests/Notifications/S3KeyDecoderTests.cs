using TrailSieve.Core.Notifications;

namespace TrailSieve.Core.Tests.Notifications;

public class S3KeyDecoderTests
{
    [Fact]
    public void TryDecode_NothingEncoded_SameInstance()
    {
        // Given a key with nothing to decode
        const string key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/01/x.json.gz";

        // When
        var ok = S3KeyDecoder.TryDecode(key, out var decoded, out var error);

        // Then no copy is made
        Assert.True(ok);
        Assert.Null(error);
        Assert.Same(key, decoded);
    }

    [Theory]
    [InlineData("red+flower.jpg", "red flower.jpg")]
    [InlineData("a+b%3Dc", "a b=c")]
    [InlineData("a%3db%3D", "a=b=")]
    [InlineData("%2B%2b+", "++ ")]
    [InlineData("dir%2Fsub/file", "dir/sub/file")]
    [InlineData("d%C3%A9j%C3%A0+vu/😀", "déjà vu/😀")]
    [InlineData("%E2%82%AC", "€")]
    public void TryDecode_FormEncoded_Decoded(string encoded, string expected)
    {
        Assert.True(S3KeyDecoder.TryDecode(encoded, out var decoded, out _));
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("50%", "invalid escape at index 2")]
    [InlineData("50%2", "invalid escape at index 2")]
    [InlineData("%g0", "invalid escape at index 0")]
    [InlineData("a%C3", "escapes are not valid UTF-8")]
    [InlineData("%ED%A0%80", "escapes are not valid UTF-8")]
    public void TryDecode_Invalid_ErrorWithoutTheKey(string encoded, string expected)
    {
        Assert.False(S3KeyDecoder.TryDecode(encoded, out var decoded, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(string.Empty, decoded);
    }

    [Fact]
    public void TryDecode_LoneSurrogate_Error()
    {
        // Given a lone surrogate (built at run time: attribute data would turn it into U+FFFD)
        var encoded = "a+" + (char)0xD800;

        Assert.False(S3KeyDecoder.TryDecode(encoded, out _, out var error));
        Assert.Equal("not valid UTF-16 text", error);
    }
}
