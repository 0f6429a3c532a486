using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

public class FilterStageTests
{
    private const string DropEc2Reads = """
        rules:
          - name: drop ec2 describes
            matches:
              - field_name: eventSource
                regex: "^ec2\\.amazonaws\\.com$"
              - field_name: eventName
                prefix: Describe
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_ChunkWithDroppedRecords_CountsAndPieceOfKeptRecords()
    {
        // Given a chunk of five records, three of which the rule drops
        var records = new[]
        {
            OutputDocuments.Record("DescribeInstances", id: 0),
            OutputDocuments.Record("RunInstances", id: 1),
            OutputDocuments.Record("DescribeVolumes", id: 2),
            OutputDocuments.Record("TerminateInstances", id: 3),
            OutputDocuments.Record("DescribeImages", id: 4),
        };
        var obj = Tracked("a.json.gz");
        var counters = new PipelineCounters();

        // When
        var filtered = await FilterAllAsync(counters, ReadChunk.Of(obj, 3, Chunk(0, records)));

        // Then its counts, and one piece holding exactly the kept records, comma-joined, in order
        var chunk = Assert.Single(filtered);
        Assert.Same(obj, chunk.Object);
        Assert.Equal(3, chunk.Sequence);
        Assert.Null(chunk.End);
        Assert.Null(chunk.Error);
        Assert.Equal((5, 2, 3), (chunk.Records, chunk.Kept, chunk.Dropped));
        var piece = Assert.Single(chunk.Pieces!);
        Assert.Equal(2, piece.Records);
        Assert.Equal(records[1] + "," + records[3], Encoding.UTF8.GetString(Gzip.Decompress(piece.Compressed.ToArray())));
        Assert.Equal(3, counters.RuleHits["drop ec2 describes"]);
        chunk.DisposePieces();
    }

    [Fact]
    public async Task RunAsync_EveryRecordDropped_NoPieces()
    {
        // Given a chunk the rule drops whole
        var chunkIn = ReadChunk.Of(Tracked("a.json.gz"), 0, Chunk(0, OutputDocuments.Record("DescribeInstances"), OutputDocuments.Record("DescribeVolumes")));

        // When
        var chunk = Assert.Single(await FilterAllAsync(new PipelineCounters(), chunkIn));

        // Then
        Assert.Equal((2, 0, 2), (chunk.Records, chunk.Kept, chunk.Dropped));
        Assert.Null(chunk.Pieces);
    }

    [Fact]
    public async Task RunAsync_EndChunk_PassedThroughWithItsReadEnd()
    {
        // Given an object's end
        var obj = Tracked("a.json.gz");
        var end = new ReadEnd(123, 456, IsDigest: false, SkipReason: null, Error: null);

        // When
        var chunk = Assert.Single(await FilterAllAsync(new PipelineCounters(), ReadChunk.EndOf(obj, 7, end)));

        // Then
        Assert.Same(obj, chunk.Object);
        Assert.Equal(7, chunk.Sequence);
        Assert.Same(end, chunk.End);
        Assert.Equal((0, 0, 0), (chunk.Records, chunk.Kept, chunk.Dropped));
        Assert.Null(chunk.Pieces);
        Assert.Null(chunk.Error);
    }

    [Fact]
    public async Task RunAsync_RecordNotValidJson_ChunkErrorAndNextChunkFiltered()
    {
        // Given a chunk whose second record is not valid JSON, then a good chunk, both on one worker
        var obj = Tracked("a.json.gz");
        var bad = Chunk(10, OutputDocuments.Record("RunInstances"), "{\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":tru}");
        var good = Chunk(12, OutputDocuments.Record("RunInstances"), OutputDocuments.Record("DescribeInstances"));

        // When
        var filtered = await FilterAllAsync(new PipelineCounters(), ReadChunk.Of(obj, 0, bad), ReadChunk.Of(obj, 1, good));

        // Then the bad chunk carries why (naming the record's index in its object), and the worker went on
        Assert.Equal(2, filtered.Count);
        var failed = filtered.Single(c => c.Sequence == 0);
        var error = Assert.IsType<CloudTrailFormatException>(failed.Error);
        Assert.Equal(CloudTrailErrorKind.InvalidRecord, error.Kind);
        Assert.Contains("record 11", error.Message, StringComparison.Ordinal);
        Assert.Null(failed.Pieces);

        var next = filtered.Single(c => c.Sequence == 1);
        Assert.Null(next.Error);
        Assert.Equal((2, 1, 1), (next.Records, next.Kept, next.Dropped));
        Assert.Single(next.Pieces!);

        // and both input chunks were given back (the filter owns and disposes them)
        Assert.Equal(0, bad.Count);
        Assert.Equal(0, good.Count);
        next.DisposePieces();
    }

    private static TrackedObject Tracked(string key) => new(PipelineHarness.Object(key, []), 0, null);

    private static RecordChunk Chunk(long firstRecordIndex, params string[] records)
    {
        var chunk = new RecordChunk(64 * 1024, firstRecordIndex);
        foreach (var record in records)
        {
            Assert.True(chunk.TryAppend(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(record))));
        }

        return chunk;
    }

    /// <summary>Runs one filter worker with the drop rule over <paramref name="chunks"/> to the end of its output.</summary>
    private static async Task<List<FilteredChunk>> FilterAllAsync(PipelineCounters counters, params ReadChunk[] chunks)
    {
        var input = Channel.CreateUnbounded<ReadChunk>();
        foreach (var chunk in chunks)
        {
            await input.Writer.WriteAsync(chunk);
        }

        input.Writer.Complete();
        var output = Channel.CreateUnbounded<FilteredChunk>();
        var stage = new FilterStage(
            1, new StaticRuleSetProvider(RuleSetLoader.Load(DropEc2Reads, "test")), partitionByRecord: false, buildPieces: true,
            CompressionLevel.Fastest, counters, NullLogger.Instance);
        var run = stage.RunAsync(input.Reader, output.Writer, CancellationToken.None);
        var results = new List<FilteredChunk>();
        using var timeout = new CancellationTokenSource(Timeout);
        await foreach (var chunk in output.Reader.ReadAllAsync(timeout.Token))
        {
            results.Add(chunk);
        }

        await run.WaitAsync(Timeout);
        return results;
    }
}
