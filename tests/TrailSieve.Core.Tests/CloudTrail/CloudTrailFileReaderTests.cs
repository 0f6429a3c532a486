using System.Text;
using System.Text.Json;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

public class CloudTrailFileReaderTests
{
    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task ReadAsync_ManyRecords_ChunksHoldEveryRecordInOrder(string codec)
    {
        // Given 5,000 records and small chunks
        var records = Enumerable.Range(0, 5000).Select(i => $"{{\"eventID\":\"{i}\",\"pad\":\"{new string('p', i % 300)}\"}}").ToList();
        var gzip = Gzip.Compress("{\"Records\":[" + string.Join(",", records) + "]}");
        var options = new RecordReaderOptions { ChunkBytes = 8192, Codec = Codecs.Get(codec) };

        // When
        var (read, result) = await ReadAllAsync(new TrickleStream(gzip, 1000), options);

        // Then
        Assert.Equal(records, read);
        Assert.Equal(5000, result.Records);
        Assert.True(result.WasGzip);
        Assert.Equal(gzip.Length, result.SourceBytes);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task ReadAsync_20MegabyteRecord_ReadWhole(string codec)
    {
        var big = "{\"eventName\":\"PutObject\",\"requestParameters\":{\"blob\":\"" + new string('a', 20 * 1024 * 1024) + "\"}}";
        var gzip = Gzip.Compress("{\"Records\":[{\"a\":1}," + big + ",{\"b\":2}]}");

        var (read, _) = await ReadAllAsync(new MemoryStream(gzip), new RecordReaderOptions { Codec = Codecs.Get(codec) });

        Assert.Equal(3, read.Count);
        Assert.Equal(big.Length, read[1].Length);
        Assert.Equal(big, read[1]);
    }

    [Fact]
    public async Task ReadAsync_RecordOverLimit_FailsWithKind()
    {
        var gzip = Gzip.Compress("{\"Records\":[{\"blob\":\"" + new string('a', 5000) + "\"}]}");

        var ex = await Assert.ThrowsAsync<CloudTrailFormatException>(() => ReadAllAsync(new MemoryStream(gzip), new RecordReaderOptions { MaxRecordBytes = 4096 }));

        Assert.Equal(CloudTrailErrorKind.RecordTooLarge, ex.Kind);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task ReadAsync_TruncatedGzipAfterCompleteJson_Fails(string codec)
    {
        // Given a gzip file cut inside its trailer: the JSON inside is complete, the file is not
        var gzip = Gzip.Compress("{\"Records\":[{\"a\":1}]}");

        var ex = await Assert.ThrowsAsync<CloudTrailFormatException>(() => ReadAllAsync(new MemoryStream(gzip[..^3]), new RecordReaderOptions { Codec = Codecs.Get(codec) }));

        Assert.Equal(CloudTrailErrorKind.TruncatedGzip, ex.Kind);
    }

    [Fact]
    public async Task ReadAsync_Digest_MarkedDigestWithNoRecords()
    {
        var gzip = Gzip.Compress("""{"awsAccountId":"1","digestStartTime":"x","digestPublicKeyFingerprint":"f","logFiles":[{"s3Object":"k"}]}""");

        var (read, result) = await ReadAllAsync(new MemoryStream(gzip), RecordReaderOptions.Default);

        Assert.Empty(read);
        Assert.True(result.IsDigest);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task ReadAsync_RealCorpus_EveryFileParsesWithExactRecordBytes(string codec)
    {
        var options = new RecordReaderOptions { Codec = Codecs.Get(codec) };
        var files = Directory.GetFiles(RepoPaths.RealCorpus, "*.json*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var total = 0L;
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var (read, result) = await ReadAllAsync(new MemoryStream(bytes), options);

            // A plain JSON parse of the same file gives the same records, byte for byte.
            var json = file.EndsWith(".gz", StringComparison.Ordinal) ? Gzip.Decompress(bytes) : bytes;
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("Records", out var expected))
            {
                Assert.True(result.IsDigest, file);
                continue;
            }

            Assert.Equal(expected.GetArrayLength(), read.Count);
            var i = 0;
            foreach (var element in expected.EnumerateArray())
            {
                Assert.Equal(element.GetRawText(), read[i++]);
            }

            total += read.Count;
        }

        Assert.True(total > 10_000, $"only {total} records in the corpus");
    }

    private static async Task<(List<string> Records, CloudTrailReadResult Result)> ReadAllAsync(Stream content, RecordReaderOptions options)
    {
        var records = new List<string>();
        var result = await CloudTrailFileReader.ReadAsync(
            content,
            options,
            (chunk, _) =>
            {
                using (chunk)
                {
                    for (var i = 0; i < chunk.Count; i++)
                    {
                        records.Add(Encoding.UTF8.GetString(chunk[i]));
                    }
                }

                return ValueTask.CompletedTask;
            },
            CancellationToken.None);
        return (records, result);
    }
}
