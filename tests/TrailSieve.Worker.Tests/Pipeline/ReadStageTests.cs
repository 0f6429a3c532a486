using System.Threading.Channels;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

public class ReadStageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_GoodGzipObject_NumberedChunksThenEndWithSizes()
    {
        // Given a gzip object of 300 records, read in 4 KiB chunks (many chunks)
        var records = Enumerable.Range(0, 300).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToList();
        var json = OutputDocuments.Document(records);
        var gzip = Gzip.Compress(json);

        // When
        var chunks = await ReadAllAsync(PipelineHarness.Object("a.json.gz", gzip));

        // Then records come in chunks numbered 0..n-1, in order and complete, then the end numbered n
        var data = chunks[..^1];
        Assert.True(data.Count > 1, $"{data.Count} chunks");
        Assert.Equal(Enumerable.Range(0, data.Count).Select(i => (long)i), data.Select(c => c.Sequence));
        Assert.All(data, c => Assert.Null(c.End));
        Assert.Equal(records, data.SelectMany(c => c.Texts));
        long expectedFirst = 0;
        foreach (var chunk in data)
        {
            Assert.Equal(expectedFirst, chunk.FirstRecordIndex);
            expectedFirst += chunk.Texts.Count;
        }

        var end = chunks[^1];
        Assert.Equal(data.Count, end.Sequence);
        Assert.Empty(end.Texts);
        Assert.NotNull(end.End);
        Assert.Equal(gzip.Length, end.End.SourceBytes);
        Assert.Equal(OutputDocuments.Utf8(json).Length, end.End.DecodedBytes);
        Assert.Null(end.End.Error);
        Assert.False(end.End.IsSkipped);
        Assert.All(chunks, c => Assert.Equal("a.json.gz", c.Key));
    }

    [Fact]
    public async Task RunAsync_CorruptObject_EndWithErrorAndNextObjectRead()
    {
        // Given bytes that claim gzip but are not, followed by a good object
        var good = OutputDocuments.Document([OutputDocuments.Record("RunInstances")]);

        // When
        var chunks = await ReadAllAsync(
            PipelineHarness.Object("garbage.json.gz", [0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
            PipelineHarness.GzipObject("good.json.gz", good));

        // Then the corrupt object is only its end, carrying the reason; the good one is read after it
        var bad = Assert.Single(chunks, c => c.Key == "garbage.json.gz");
        Assert.Equal(0, bad.Sequence);
        var error = Assert.IsType<CloudTrailFormatException>(bad.End?.Error);
        Assert.Equal(CloudTrailErrorKind.CorruptGzip, error.Kind);
        Assert.False(bad.End!.IsSkipped);

        var next = chunks.Where(c => c.Key == "good.json.gz").ToList();
        Assert.Equal(2, next.Count);
        Assert.Equal([OutputDocuments.Record("RunInstances")], next[0].Texts);
        Assert.Null(next[1].End?.Error);
        Assert.NotNull(next[1].End);
    }

    [Fact]
    public async Task RunAsync_DigestKey_OnlyEndChunkWithIsDigestAndNotOpened()
    {
        // Given an object under CloudTrail-Digest/ whose content would fail if it were opened
        var opened = false;
        var digest = new SourceObject
        {
            Name = "test://digest",
            Key = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/01/02/111122223333_CloudTrail-Digest_us-east-1_x.json.gz",
            OutputKey = "digest",
            OpenAsync = _ =>
            {
                opened = true;
                throw new InvalidOperationException("a digest must not be opened");
            },
        };

        // When
        var chunks = await ReadAllAsync(digest);

        // Then
        var end = Assert.Single(chunks);
        Assert.Equal(0, end.Sequence);
        Assert.NotNull(end.End);
        Assert.True(end.End.IsDigest);
        Assert.True(end.End.IsSkipped);
        Assert.Null(end.End.Error);
        Assert.False(opened);
    }

    [Fact]
    public async Task RunAsync_OpenThrowsObjectSkipped_EndWithSkipReason()
    {
        // Given an object deleted since it was announced
        var deleted = new SourceObject
        {
            Name = "test://deleted",
            Key = "deleted.json.gz",
            OutputKey = "deleted.json.gz",
            OpenAsync = _ => throw new ObjectSkippedException("deleted since it was announced"),
        };

        // When
        var chunks = await ReadAllAsync(deleted);

        // Then
        var end = Assert.Single(chunks);
        Assert.Equal(0, end.Sequence);
        Assert.NotNull(end.End);
        Assert.Equal("deleted since it was announced", end.End.SkipReason);
        Assert.Null(end.End.Error);
        Assert.False(end.End.IsDigest);
        Assert.True(end.End.IsSkipped);
    }

    [Fact]
    public async Task RunAsync_InputCompletes_OutputCompletedAndStageEnds()
    {
        // Given a running stage whose input stays open after one object
        var input = Channel.CreateUnbounded<SourceObject>();
        var output = Channel.CreateUnbounded<ReadChunk>();
        var run = Stage().RunAsync(input.Reader, output.Writer, CancellationToken.None);
        await input.Writer.WriteAsync(PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document([OutputDocuments.Record("RunInstances")])));
        var first = await output.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        first.Records?.Dispose();
        var end = await output.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.NotNull(end.End);

        // Then while the input is open the output is too (the stage waits for more objects)
        Assert.False(output.Reader.Completion.IsCompleted);
        Assert.False(run.IsCompleted);

        // When the input completes
        input.Writer.Complete();

        // Then the output completes, cleanly, and the stage ends
        await output.Reader.Completion.WaitAsync(Timeout);
        await run.WaitAsync(Timeout);
    }

    private static ReadStage Stage() => new(1, new RecordReaderOptions { ChunkBytes = 4096 }, TimeProvider.System);

    /// <summary>Runs one reader over <paramref name="objects"/> to the end; each chunk's records copied out as text (and the chunk disposed).</summary>
    private static async Task<List<ReadResult>> ReadAllAsync(params SourceObject[] objects)
    {
        var input = Channel.CreateUnbounded<SourceObject>();
        foreach (var obj in objects)
        {
            await input.Writer.WriteAsync(obj);
        }

        input.Writer.Complete();
        var output = Channel.CreateBounded<ReadChunk>(2);
        var run = Stage().RunAsync(input.Reader, output.Writer, CancellationToken.None);
        var results = new List<ReadResult>();
        using var timeout = new CancellationTokenSource(Timeout);
        await foreach (var chunk in output.Reader.ReadAllAsync(timeout.Token))
        {
            results.Add(ReadResult.Of(chunk));
        }

        await run.WaitAsync(Timeout);
        return results;
    }

    private sealed record ReadResult(string Key, long Sequence, long FirstRecordIndex, List<string> Texts, ReadEnd? End)
    {
        public static ReadResult Of(ReadChunk chunk)
        {
            var texts = new List<string>();
            long first = -1;
            if (chunk.Records is { } records)
            {
                first = records.FirstRecordIndex;
                for (var i = 0; i < records.Count; i++)
                {
                    texts.Add(System.Text.Encoding.UTF8.GetString(records[i]));
                }

                records.Dispose();
            }

            return new ReadResult(chunk.Object.Source.Key, chunk.Sequence, first, texts, chunk.End);
        }
    }
}
