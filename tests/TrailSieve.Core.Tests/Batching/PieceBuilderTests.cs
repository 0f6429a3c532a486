using System.IO.Compression;
using System.Text;
using TrailSieve.Core.Batching;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.Batching;

public class PieceBuilderTests
{
    private static readonly PartitionKey Partition = new("111122223333", "us-east-1", new DateOnly(2026, 1, 2));

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Build_WithIdentities_EachRecordsPlaceAndEventId(string codec)
    {
        // Given three records, the second without an eventID
        string[] records = ["{\"eventID\":\"a\",\"n\":1}", "{\"n\":2}", "{\"eventID\":\"c\",\"n\":3}"];
        using var builder = new PieceBuilder(Partition, CompressionLevel.Fastest, identities: true, Codecs.Get(codec));
        builder.Append(Encoding.UTF8.GetBytes(records[0]), "a"u8);
        builder.Append(Encoding.UTF8.GetBytes(records[1]), default);
        builder.Append(Encoding.UTF8.GetBytes(records[2]), "c"u8);

        // When
        using var piece = builder.Build();

        // Then each identity points at its record in the uncompressed text, with its eventID and hashes
        var text = Encoding.UTF8.GetString(Gzip.Decompress(piece.Compressed.ToArray()));
        Assert.Equal(string.Join(",", records), text);
        var identities = Assert.IsType<PieceIdentities>(piece.Identities);
        Assert.Equal(3, identities.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(records[i], text.Substring(identities[i].Offset, identities[i].Length));
        }

        Assert.Equal("a", Encoding.UTF8.GetString(identities.EventId(identities[0])));
        Assert.False(identities[1].HasEventId);
        Assert.Equal(PieceIdentities.HashEventId("c"u8), identities[2].IdHash);
        Assert.Equal(PieceIdentities.HashRecord(Encoding.UTF8.GetBytes(records[2])), identities[2].BodyHash);
    }

    [Fact]
    public void Build_WithoutIdentities_NoneKept()
    {
        using var builder = new PieceBuilder(Partition, CompressionLevel.Fastest);
        builder.Append("{\"eventID\":\"a\"}"u8, "a"u8);

        using var piece = builder.Build();

        Assert.Null(piece.Identities);
    }

    [Fact]
    public void Append_EventIdOverTheLimit_CountsAsNone()
    {
        var id = new string('x', PieceIdentities.MaxEventIdBytes + 1);
        using var builder = new PieceBuilder(Partition, CompressionLevel.Fastest, identities: true);
        builder.Append(Encoding.UTF8.GetBytes($"{{\"eventID\":\"{id}\"}}"), Encoding.UTF8.GetBytes(id));

        using var piece = builder.Build();

        Assert.False(piece.Identities![0].HasEventId);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public void Without_SomeRecordsMarked_RestInOrderAtTheSameLevel(string codec)
    {
        // Given a piece of five records
        var records = Enumerable.Range(0, 5).Select(i => $"{{\"eventID\":\"{i}\",\"n\":{i}}}").ToArray();
        using var piece = Build(records, Codecs.Get(codec));

        // When the second and the last are left out
        using var rebuilt = PieceBuilder.Without(piece, [false, true, false, false, true]);

        // Then the rebuilt piece holds the other three, comma-joined, with its counts
        Assert.NotNull(rebuilt);
        string[] expected = [records[0], records[2], records[3]];
        Assert.Equal(string.Join(",", expected), Encoding.UTF8.GetString(Gzip.Decompress(rebuilt.Compressed.ToArray())));
        Assert.Equal(3, rebuilt.Records);
        Assert.Equal(expected.Sum(r => r.Length) + 2, rebuilt.RawBytes);
        Assert.Equal(piece.Partition, rebuilt.Partition);
        Assert.Equal(piece.CompressionLevel, rebuilt.CompressionLevel);
        Assert.Same(piece.Codec, rebuilt.Codec);
    }

    [Theory]
    [CodecData(Codecs.Zlib, CompressionLevel.NoCompression)]
    [CodecData(Codecs.Zlib, CompressionLevel.Fastest)]
    [CodecData(Codecs.Zlib, CompressionLevel.Optimal)]
    [CodecData(Codecs.Zlib, CompressionLevel.SmallestSize)]
    [CodecData(Codecs.Isal, CompressionLevel.NoCompression)]
    [CodecData(Codecs.Isal, CompressionLevel.Fastest)]
    [CodecData(Codecs.Isal, CompressionLevel.Optimal)]
    [CodecData(Codecs.Isal, CompressionLevel.SmallestSize)]
    public void Build_ManyRecordsAtEachLevel_OneStandardMemberWithEveryByte(string codec, CompressionLevel level)
    {
        // Given more records than the compressor gathers at once (records of 1 to 3,000 bytes, 1.5 MB in all)
        var records = Enumerable.Range(0, 1000).Select(i => $"{{\"eventID\":\"{i}\",\"pad\":\"{new string((char)('a' + (i % 26)), i * 7 % 3000)}\"}}").ToArray();
        using var builder = new PieceBuilder(Partition, level, codec: Codecs.Get(codec));
        foreach (var record in records)
        {
            builder.Append(Encoding.UTF8.GetBytes(record));
        }

        // When
        using var piece = builder.Build();

        // Then GZipStream reads it back whole, and it is one member
        var text = string.Join(",", records);
        Assert.Equal(text, Encoding.UTF8.GetString(Gzip.Decompress(piece.Compressed.ToArray())));
        Assert.Equal(1, Codecs.CountMembers(piece.Compressed.Span));
        Assert.Equal(Encoding.UTF8.GetByteCount(text), piece.RawBytes);
        Assert.Equal(1000, piece.Records);
    }

    [Fact]
    public void Without_EveryRecordMarked_Null()
    {
        using var piece = Build(["{\"eventID\":\"a\"}", "{\"eventID\":\"b\"}"]);

        Assert.Null(PieceBuilder.Without(piece, [true, true]));
    }

    [Fact]
    public void Without_PieceWithoutIdentities_Throws()
    {
        using var builder = new PieceBuilder(Partition, CompressionLevel.Fastest);
        builder.Append("{}"u8);
        using var piece = builder.Build();

        Assert.Throws<ArgumentException>(() => PieceBuilder.Without(piece, [true]));
    }

    private static OutputPiece Build(string[] records, GzipCodec? codec = null)
    {
        using var builder = new PieceBuilder(Partition, CompressionLevel.Optimal, identities: true, codec);
        for (var i = 0; i < records.Length; i++)
        {
            builder.Append(Encoding.UTF8.GetBytes(records[i]), Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return builder.Build();
    }
}
