using System.Text;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

public class DecodingStreamTests
{
    /// <summary>A gzip member of no data (<c>gzip -n &lt; /dev/null</c>): header, an empty final block, a zero CRC and length.</summary>
    private static readonly byte[] s_emptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly byte[] s_text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"Records\":[{\"eventName\":\"Decrypt\"}]} ", 5000)));

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Read_GzipWithoutGzSuffixOrHeader_Decompressed(string codec)
    {
        using var stream = new DecodingStream(new MemoryStream(Gzip.Compress(s_text)), Codecs.Get(codec));

        var output = ReadAll(stream);

        Assert.Equal(s_text, output);
        Assert.True(stream.IsGzip);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Read_PlainJson_PassedThrough(string codec)
    {
        using var stream = new DecodingStream(new MemoryStream(s_text), Codecs.Get(codec));

        Assert.Equal(s_text, ReadAll(stream));
        Assert.False(stream.IsGzip);
    }

    [Fact]
    public void Read_SingleByte_PassedThrough()
    {
        using var stream = new DecodingStream(new MemoryStream([0x1f]));

        Assert.Equal([0x1f], ReadAll(stream));
    }

    [Theory]
    [CodecData(Codecs.Zlib, 64 * 1024)]
    [CodecData(Codecs.Zlib, 1)]
    [CodecData(Codecs.Isal, 64 * 1024)]
    [CodecData(Codecs.Isal, 1)]
    public void Read_ConcatenatedMembers_ReadWhole(string codec, int sourceRead)
    {
        // Given three members (the middle one empty) read whole, or one byte at a time
        var data = Gzip.Compress("{\"Records\":[{\"a\":1},").Concat(s_emptyMember).Concat(Gzip.Compress("{\"b\":2}]}")).ToArray();
        using var stream = new DecodingStream(new TrickleStream(data, sourceRead), Codecs.Get(codec));

        Assert.Equal("{\"Records\":[{\"a\":1},{\"b\":2}]}", Encoding.UTF8.GetString(ReadAll(stream)));
        Assert.Equal(data.Length, stream.SourceBytes);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Read_OneByteAtATimeInAndOut_SameBytes(string codec)
    {
        // Given a source that gives one byte per read and a reader that takes one byte per read
        var text = s_text.AsSpan(0, 20_000).ToArray();
        var data = Gzip.Compress(text).Concat(Gzip.Compress(text)).ToArray();
        using var stream = new DecodingStream(new TrickleStream(data, 1), Codecs.Get(codec));
        var output = new MemoryStream();
        var one = new byte[1];

        // When
        while (stream.Read(one) == 1)
        {
            output.WriteByte(one[0]);
        }

        // Then
        Assert.Equal(text.Concat(text), output.ToArray());
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Read_TruncatedAnywhere_Throws(string codec)
    {
        // Given every cut of a gzip file, including inside its 8-byte trailer
        var gzip = Gzip.Compress(s_text);
        for (var cut = 2; cut < gzip.Length; cut += cut < gzip.Length - 16 ? 97 : 1)
        {
            using var stream = new DecodingStream(new MemoryStream(gzip, 0, cut), Codecs.Get(codec));

            var ex = Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream));

            Assert.True(ex.Kind is CloudTrailErrorKind.TruncatedGzip or CloudTrailErrorKind.CorruptGzip, $"cut {cut}: {ex.Kind}");
        }
    }

    [Theory]
    [CodecData(Codecs.Zlib, 1)]
    [CodecData(Codecs.Zlib, 8)]
    [CodecData(Codecs.Zlib, 100)]
    [CodecData(Codecs.Isal, 1)]
    [CodecData(Codecs.Isal, 8)]
    [CodecData(Codecs.Isal, 100)]
    public void Read_SecondMemberCutShort_TruncatedGzip(string codec, int cut)
    {
        // Given a whole member, then the first bytes of a next one (header only, or into its deflate data)
        var second = Gzip.Compress(s_text);
        var data = Gzip.Compress(s_text).Concat(second.Take(cut)).ToArray();
        using var stream = new DecodingStream(new MemoryStream(data), Codecs.Get(codec));

        Assert.Equal(CloudTrailErrorKind.TruncatedGzip, Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream)).Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Read_GzipOfGarbage_CorruptGzip(string codec)
    {
        var data = new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 1, 2, 3, 4, 5 };
        using var stream = new DecodingStream(new MemoryStream(data), Codecs.Get(codec));

        var ex = Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream));

        Assert.Equal(CloudTrailErrorKind.CorruptGzip, ex.Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib, 8)]
    [CodecData(Codecs.Zlib, 6)]
    [CodecData(Codecs.Zlib, 1)]
    [CodecData(Codecs.Isal, 8)]
    [CodecData(Codecs.Isal, 6)]
    [CodecData(Codecs.Isal, 1)]
    public void Read_TrailerMismatch_CorruptGzip(string codec, int fromEnd)
    {
        // Given a flipped byte of the trailer: its CRC-32 (8 and 6 bytes from the end) or its length (the last byte)
        var gzip = Gzip.Compress(s_text);
        gzip[^fromEnd] ^= 0xff;

        using var stream = new DecodingStream(new MemoryStream(gzip), Codecs.Get(codec));

        Assert.Equal(CloudTrailErrorKind.CorruptGzip, Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream)).Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Read_FlippedByteInBody_CorruptGzip(string codec)
    {
        var gzip = Gzip.Compress(s_text);
        gzip[gzip.Length / 2] ^= 0x55;

        using var stream = new DecodingStream(new MemoryStream(gzip), Codecs.Get(codec));

        Assert.Equal(CloudTrailErrorKind.CorruptGzip, Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream)).Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib, 64 * 1024)]
    [CodecData(Codecs.Zlib, 1)]
    [CodecData(Codecs.Isal, 64 * 1024)]
    [CodecData(Codecs.Isal, 1)]
    public void Read_JunkAfterLastMember_TrailingData(string codec, int sourceRead)
    {
        var data = Gzip.Compress(s_text).Concat("junk"u8.ToArray()).ToArray();
        using var stream = new DecodingStream(new TrickleStream(data, sourceRead), Codecs.Get(codec));

        Assert.Equal(CloudTrailErrorKind.TrailingData, Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream)).Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Read_NulAfterLastMember_TrailingData(string codec)
    {
        // Given zero padding after the last member (what some writers leave): not a member, so not accepted
        var data = Gzip.Compress(s_text).Concat(new byte[16]).ToArray();
        using var stream = new DecodingStream(new MemoryStream(data), Codecs.Get(codec));

        Assert.Equal(CloudTrailErrorKind.TrailingData, Assert.Throws<CloudTrailFormatException>(() => ReadAll(stream)).Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task ReadAsync_TinySourceReads_SameBytes(string codec)
    {
        var gzip = Gzip.Compress(s_text);
        using var stream = new DecodingStream(new TrickleStream(gzip, 3), Codecs.Get(codec));
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
