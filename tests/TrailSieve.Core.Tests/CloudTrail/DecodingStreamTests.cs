using System.Text;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

public class DecodingStreamTests
{
    private static readonly byte[] s_text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"Records\":[{\"eventName\":\"Decrypt\"}]} ", 5000)));

    [Fact]
    public void Read_GzipWithoutGzSuffixOrHeader_Decompressed()
    {
        using var stream = new DecodingStream(new MemoryStream(Gzip.Compress(s_text)));

        var output = ReadAll(stream);

        Assert.Equal(s_text, output);
        Assert.True(stream.IsGzip);
    }

    [Fact]
    public void Read_PlainJson_PassedThrough()
    {
        using var stream = new DecodingStream(new MemoryStream(s_text));

        Assert.Equal(s_text, ReadAll(stream));
        Assert.False(stream.IsGzip);
    }

    [Fact]
    public void Read_SingleByte_PassedThrough()
    {
        using var stream = new DecodingStream(new MemoryStream([0x1f]));

        Assert.Equal([0x1f], ReadAll(stream));
    }

    [Fact]
    public void Read_ConcatenatedMembers_ReadWhole()
    {
        var data = Gzip.Compress("{\"Records\":[{\"a\":1},").Concat(Gzip.Compress("{\"b\":2}]}")).ToArray();
        using var stream = new DecodingStream(new MemoryStream(data));

        Assert.Equal("{\"Records\":[{\"a\":1},{\"b\":2}]}", Encoding.UTF8.GetString(ReadAll(stream)));
    }

    [Fact]
    public void Read_TruncatedAnywhere_Throws()
    {
        // Given every cut of a gzip file, including inside its 8-byte trailer
        var gzip = Gzip.Compress(s_text);
        for (var cut = 2; cut < gzip.Length; cut += cut < gzip.Length - 16 ? 97 : 1)
        {
            using var stream = new DecodingStream(new MemoryStream(gzip, 0, cut));

            var ex = Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream));

            Assert.True(ex.Kind is CloudTrailErrorKind.TruncatedGzip or CloudTrailErrorKind.CorruptGzip, $"cut {cut}: {ex.Kind}");
        }
    }

    [Fact]
    public void Read_GzipOfGarbage_CorruptGzip()
    {
        var data = new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 1, 2, 3, 4, 5 };
        using var stream = new DecodingStream(new MemoryStream(data));

        var ex = Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream));

        Assert.Equal(CloudTrailErrorKind.CorruptGzip, ex.Kind);
    }

    [Fact]
    public void Read_FlippedByteInBody_CorruptGzip()
    {
        var gzip = Gzip.Compress(s_text);
        gzip[gzip.Length - 6] ^= 0xff; // inside the length/CRC trailer

        using var stream = new DecodingStream(new MemoryStream(gzip));

        Assert.Equal(CloudTrailErrorKind.CorruptGzip, Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream)).Kind);
    }

    [Fact]
    public void Read_JunkAfterLastMember_TrailingData()
    {
        var data = Gzip.Compress(s_text).Concat("junk"u8.ToArray()).ToArray();
        using var stream = new DecodingStream(new MemoryStream(data));

        Assert.Equal(CloudTrailErrorKind.TrailingData, Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream)).Kind);
    }

    [Fact]
    public async Task ReadAsync_TinySourceReads_SameBytes()
    {
        var gzip = Gzip.Compress(s_text);
        using var stream = new DecodingStream(new TrickleStream(gzip, 3));
        var output = new MemoryStream();

        await stream.CopyToAsync(output, 7);

        Assert.Equal(s_text, output.ToArray());
        Assert.Equal(gzip.Length, stream.SourceBytes);
        Assert.Equal(s_text.Length, stream.DecodedBytes);
    }

    private static byte[] ReadAll(Stream stream)
    {
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}
