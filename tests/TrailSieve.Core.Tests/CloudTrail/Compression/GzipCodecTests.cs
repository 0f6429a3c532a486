using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail.Compression;

public class GzipCodecTests
{
    private static readonly byte[] s_text = Encoding.UTF8.GetBytes(string.Concat(
        Enumerable.Range(0, 20_000).Select(i => $"{{\"eventID\":\"{i:x8}\",\"eventName\":\"{(i % 3 == 0 ? "Decrypt" : "GetObject")}\",\"n\":{i * 7919 % 10007}}},")));

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Compress_EachLevel_StandardMemberWithCrcAndLengthTrailer(string codec)
    {
        foreach (var level in Enum.GetValues<CompressionLevel>())
        {
            // When
            var gzip = Codecs.Get(codec).Compress(s_text, level);

            // Then a gzip header (magic, deflate), the data's CRC-32 and length in the trailer, and GZipStream reads it
            Assert.Equal([0x1f, 0x8b, 8], gzip[..3]);
            Assert.Equal(Crc32.HashToUInt32(s_text), BinaryPrimitives.ReadUInt32LittleEndian(gzip.AsSpan(gzip.Length - 8)));
            Assert.Equal((uint)s_text.Length, BinaryPrimitives.ReadUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4)));
            Assert.Equal(s_text, Gzip.Decompress(gzip));
            Assert.Equal(1, Codecs.CountMembers(gzip));
        }
    }

    [Theory]
    [CodecData(Codecs.Isal)]
    public void Compress_IsalLevels_HigherLevelsSmaller(string codec)
    {
        // Given the largest file of the real corpus
        var largest = Directory.GetFiles(RepoPaths.RealCorpus, "*.gz", SearchOption.AllDirectories).MaxBy(f => new FileInfo(f).Length)!;
        var raw = Gzip.Decompress(File.ReadAllBytes(largest));

        // When it is compressed at each level
        var sizes = Enum.GetValues<CompressionLevel>().ToDictionary(l => l, l => Codecs.Get(codec).Compress(raw, l).Length);

        // Then the level reached ISA-L (its field in the stream, its buffer): each one is smaller than the one below
        var text = string.Join(", ", sizes);
        Assert.True(sizes[CompressionLevel.NoCompression] > sizes[CompressionLevel.Fastest], text);
        Assert.True(sizes[CompressionLevel.Fastest] > sizes[CompressionLevel.Optimal], text);
        Assert.True(sizes[CompressionLevel.Optimal] > sizes[CompressionLevel.SmallestSize], text);
    }

    [Fact]
    public void Level_CompressionLevels_IsalLevels()
    {
        Assert.Equal(0, IsalCodec.Level(CompressionLevel.NoCompression));
        Assert.Equal(1, IsalCodec.Level(CompressionLevel.Fastest));
        Assert.Equal(2, IsalCodec.Level(CompressionLevel.Optimal));
        Assert.Equal(3, IsalCodec.Level(CompressionLevel.SmallestSize));
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void CreateCompressor_WritesOfEverySize_SameBytesBack(string codec)
    {
        // Given writes of one byte to more than the compressor gathers at once
        var output = new MemoryStream();
        using (var compressor = Codecs.Get(codec).CreateCompressor(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var at = 0;
            for (var size = 1; at < s_text.Length; size = size * 3 % 200_000 + 1)
            {
                var n = Math.Min(size, s_text.Length - at);
                compressor.Write(s_text, at, n);
                at += n;
                compressor.WriteByte((byte)'|');
            }
        }

        // Then the member holds every byte in order
        var back = Gzip.Decompress(output.ToArray());
        Assert.Equal(s_text, back.Where(b => b != (byte)'|').ToArray());
        Assert.True(output.CanWrite, "leaveOpen keeps the destination open");
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Compress_NothingWritten_DecodesToNothing(string codec)
    {
        // zlib's GZipStream writes no member at all for no data, ISA-L an empty one; either decodes to nothing.
        var gzip = Codecs.Get(codec).Compress([], CompressionLevel.Fastest);

        Assert.Empty(Gzip.Decompress(gzip));
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Decompress_ConcatenatedMembers_Whole(string codec)
    {
        var data = Gzip.Compress(s_text).Concat(Gzip.Compress("tail")).ToArray();

        var output = Codecs.Get(codec).Decompress(data);

        Assert.Equal(s_text.Concat("tail"u8.ToArray()), output);
    }

    [Theory]
    [CodecData(Codecs.Zlib, 3, CloudTrailErrorKind.TruncatedGzip)]
    [CodecData(Codecs.Zlib, -4, CloudTrailErrorKind.TrailingData)]
    [CodecData(Codecs.Isal, 3, CloudTrailErrorKind.TruncatedGzip)]
    [CodecData(Codecs.Isal, -4, CloudTrailErrorKind.TrailingData)]
    public void Decompress_CutOrJunkAfter_SameKindAsTheStream(string codec, int cut, CloudTrailErrorKind kind)
    {
        // Given a member cut short by `cut` bytes, or followed by -`cut` bytes of junk
        var gzip = Gzip.Compress(s_text);
        var data = cut > 0 ? gzip[..^cut] : [.. gzip, .. "junk"u8[..-cut]];

        Assert.Equal(kind, Assert.Throws<CloudTrailFormatException>(() => Codecs.Get(codec).Decompress(data)).Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Decompress_CrcMismatch_CorruptGzip(string codec)
    {
        var gzip = Gzip.Compress(s_text);
        gzip[^7] ^= 1;

        Assert.Equal(CloudTrailErrorKind.CorruptGzip, Assert.Throws<CloudTrailFormatException>(() => Codecs.Get(codec).Decompress(gzip)).Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Decompress_IntoABufferWriter_AppendsAfterWhatIsThere(string codec)
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("head:"u8);

        Codecs.Get(codec).Decompress(Gzip.Compress("body"), output);

        Assert.Equal("head:body", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [CodecData(Codecs.Isal)]
    public void RealCorpus_EachCodecReadsTheOthersOutput(string codec)
    {
        // Given every gzip file of the real corpus
        var isal = Codecs.Get(codec);
        var files = Directory.GetFiles(RepoPaths.RealCorpus, "*.gz", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var original = File.ReadAllBytes(file);

            // Both decode the original alike
            var raw = GzipCodec.Zlib.Decompress(original);
            Assert.Equal(raw, isal.Decompress(original));

            // zlib (and GZipStream) read ISA-L's output, ISA-L reads zlib's, at every level
            foreach (var level in Enum.GetValues<CompressionLevel>())
            {
                var byIsal = isal.Compress(raw, level);
                Assert.Equal(raw, GzipCodec.Zlib.Decompress(byIsal));
                Assert.Equal(raw, Gzip.Decompress(byIsal));
                Assert.Equal(raw, isal.Decompress(GzipCodec.Zlib.Compress(raw, level)));
            }
        }
    }

    [Fact]
    public void For_Choices_TheCodecOrTheReason()
    {
        Assert.Same(GzipCodec.Zlib, GzipCodec.For(GzipCodecChoice.Zlib));
        Assert.Same(GzipCodec.Isal ?? GzipCodec.Zlib, GzipCodec.For(GzipCodecChoice.Auto));
        if (GzipCodec.Isal is { } isal)
        {
            Assert.Same(isal, GzipCodec.For(GzipCodecChoice.Isal));
            Assert.Null(GzipCodec.IsalUnavailableReason);
            Assert.Equal("isal", isal.Name);
        }
        else
        {
            Assert.Contains("libisal.so.2", Assert.Throws<InvalidOperationException>(() => GzipCodec.For(GzipCodecChoice.Isal)).Message, StringComparison.Ordinal);
        }
    }
}
