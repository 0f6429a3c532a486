using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Batching;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline.Writing;

/// <summary>The batch window through the write stage: pieces as the filter workers build them (with identities).</summary>
public class BatchDeduplicatorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly PartitionKey Partition = new("111122223333", "us-east-1", new DateOnly(2026, 1, 2));

    private static readonly ReadEnd Whole = new(10, 20, IsDigest: false, SkipReason: null, Error: null);

    [Fact]
    public async Task RunAsync_RecordInTwoObjectsOfOneBatch_WrittenOnceAndCounted()
    {
        // Given two objects of one partition; the second repeats the first's second record (CloudTrail delivered it twice)
        var r1 = OutputDocuments.Record("RunInstances", id: 1);
        var r2 = OutputDocuments.Record("RunInstances", id: 2);
        var r3 = OutputDocuments.Record("RunInstances", id: 3);
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink();
        var counters = new PipelineCounters();

        // When
        var outcomes = await WriteAllAsync(sink, Batch(), counters, Chunk(a, 0, r1, r2), End(a, 1), Chunk(b, 0, r2, r3), End(b, 1));

        // Then one batch holds each record once, in order; the second object counts its duplicate and succeeds
        Assert.Equal([r1, r2, r3], sink.RecordsOf(Assert.Single(sink.Committed.Keys)));
        Assert.Equal(0, outcomes.Single(o => o.Source.Key == "a.json.gz").Deduplicated);
        var second = outcomes.Single(o => o.Source.Key == "b.json.gz");
        Assert.Equal((ObjectStatus.Succeeded, 2L, 1L), (second.Status, second.Kept, second.Deduplicated));
        Assert.Equal(1, counters.Deduplicated);
    }

    [Fact]
    public async Task RunAsync_CorpusRecordsSharingAnEventId_BothWritten()
    {
        // Given the real corpus's two different records with one eventID, in two objects of one batch, and one of them again
        var records = SharedEventIds.Records();
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink();
        var counters = new PipelineCounters();

        // When
        await WriteAllAsync(sink, Batch(), counters, Chunk(a, 0, records[0]), End(a, 1), Chunk(b, 0, records[1], records[0]), End(b, 1));

        // Then both different records are written, the repeated one once
        Assert.Equal([records[0], records[1]], sink.RecordsOf(Assert.Single(sink.Committed.Keys)));
        Assert.Equal(1, counters.Deduplicated);
    }

    [Fact]
    public async Task RunAsync_RecordsWithoutEventId_NeverMerged()
    {
        // Given the same record without an eventID, three times in two objects
        const string record = "{\"eventTime\":\"2026-01-02T03:04:05Z\",\"eventName\":\"ConsoleLogin\",\"recipientAccountId\":\"111122223333\"}";
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink();
        var counters = new PipelineCounters();

        // When
        await WriteAllAsync(sink, Batch(), counters, Chunk(a, 0, record, record), End(a, 1), Chunk(b, 0, record), End(b, 1));

        // Then all three are written
        Assert.Equal([record, record, record], sink.RecordsOf(Assert.Single(sink.Committed.Keys)));
        Assert.Equal(0, counters.Deduplicated);
    }

    [Fact]
    public async Task RunAsync_SameRecordInTwoPartitions_EachBatchItsOwnWindow()
    {
        // Given one record's bytes in pieces of two partitions (each batch sees it once)
        var record = OutputDocuments.Record("RunInstances", id: 7);
        var other = Partition with { Region = "eu-west-1" };
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink();
        var counters = new PipelineCounters();

        // When
        await WriteAllAsync(sink, Batch(), counters, Chunk(a, 0, record), End(a, 1), Chunk(b, 0, other, record), End(b, 1));

        // Then both batches hold it
        Assert.Equal(2, sink.Committed.Count);
        Assert.All(sink.Committed.Keys, key => Assert.Equal([record], sink.RecordsOf(key)));
        Assert.Equal(0, counters.Deduplicated);
    }

    [Fact]
    public async Task RunAsync_WindowFull_LaterRecordsWrittenUncheckedAndCountedOnce()
    {
        // Given a window of two records, and an object of four, then an object repeating the first and the fourth
        var records = Enumerable.Range(1, 4).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToArray();
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink();
        var counters = new PipelineCounters();

        // When
        await WriteAllAsync(
            sink, Batch(window: 2), counters, Chunk(a, 0, records), End(a, 1), Chunk(b, 0, records[0], records[3]), End(b, 1));

        // Then the first (remembered) is dropped; the fourth (past the bound) is written twice; the full window counted once
        Assert.Equal([.. records, records[3]], sink.RecordsOf(Assert.Single(sink.Committed.Keys)));
        Assert.Equal(1, counters.Deduplicated);
        Assert.Equal(1, counters.DedupWindowsFull);
    }

    [Fact]
    public async Task RunAsync_BatchCommittedThenRecordAgain_NewBatchStartsANewWindow()
    {
        // Given batches committed as soon as they are full (MaxBytes 1 KiB), and the same record in a big object and a later one
        var filler = Enumerable.Range(100, 20).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToArray();
        var record = OutputDocuments.Record("RunInstances", id: 1);
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink();
        var counters = new PipelineCounters();

        // When
        await WriteAllAsync(sink, Batch(maxBytes: 1024), counters, Chunk(a, 0, [record, .. filler]), End(a, 1), Chunk(b, 0, record), End(b, 1));

        // Then the first batch was committed before the second object came, so the second batch holds the record again
        Assert.Equal(2, sink.Committed.Count);
        Assert.Equal(2, sink.Committed.Keys.SelectMany(sink.RecordsOf).Count(r => r == record));
        Assert.Equal(0, counters.Deduplicated);
    }

    [Fact]
    public async Task RunAsync_ObjectAllDuplicatesAndBatchCommitFails_BothObjectsFail()
    {
        // Given an object whose only record the open batch already holds, and a batch whose commit fails
        var record = OutputDocuments.Record("RunInstances", id: 1);
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink { FailCommit = _ => true };
        var counters = new PipelineCounters();

        // When
        var outcomes = await WriteAllAsync(sink, Batch(), counters, Chunk(a, 0, record), End(a, 1), Chunk(b, 0, record), End(b, 1));

        // Then the duplicate-only object waited for that batch and fails with it: its message comes back too
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(ObjectStatus.Failed, o.Status));
        Assert.Empty(sink.Committed);
    }

    [Fact]
    public async Task RunAsync_WindowOff_DuplicatesWritten()
    {
        var record = OutputDocuments.Record("RunInstances", id: 1);
        var (a, b) = (Tracked("a.json.gz"), Tracked("b.json.gz"));
        var sink = new InMemorySink();

        await WriteAllAsync(sink, Batch(window: 0), new PipelineCounters(), Chunk(a, 0, record), End(a, 1), Chunk(b, 0, record), End(b, 1));

        Assert.Equal([record, record], sink.RecordsOf(Assert.Single(sink.Committed.Keys)));
    }

    [Fact]
    public async Task RunAsync_DuplicateInsideOneObject_WrittenOnceAndDocumentValid()
    {
        // Given one object repeating a record inside one piece, and in its next chunk
        var r1 = OutputDocuments.Record("RunInstances", id: 1);
        var r2 = OutputDocuments.Record("RunInstances", id: 2);
        var a = Tracked("a.json.gz");
        var sink = new InMemorySink();

        // When
        var outcomes = await WriteAllAsync(sink, Batch(), new PipelineCounters(), Chunk(a, 0, r1, r1, r2), Chunk(a, 1, r2), End(a, 2));

        // Then each once, and the output is one valid CloudTrail document
        var key = Assert.Single(sink.Committed.Keys);
        Assert.Equal([r1, r2], sink.RecordsOf(key));
        using var document = JsonDocument.Parse(Gzip.Decompress(sink.Committed[key]));
        Assert.Equal(2, document.RootElement.GetProperty("Records").GetArrayLength());
        Assert.Equal(2, Assert.Single(outcomes).Deduplicated);
    }

    private static OutputOptions Batch(int window = 100_000, long maxBytes = 64L * 1024 * 1024) =>
        new() { Mode = OutputMode.Batch, DedupWindow = window, MaxBytes = maxBytes, MaxAge = TimeSpan.FromHours(1) };

    private static TrackedObject Tracked(string key) => new(PipelineHarness.Object(key, []), 0, null);

    private static FilteredChunk Chunk(TrackedObject obj, long sequence, params string[] records) => Chunk(obj, sequence, Partition, records);

    /// <summary>A filtered chunk keeping every one of <paramref name="records"/>, in one piece with identities, as the filter workers build it.</summary>
    private static FilteredChunk Chunk(TrackedObject obj, long sequence, PartitionKey partition, params string[] records)
    {
        using var builder = new PieceBuilder(partition, CompressionLevel.Fastest, identities: true);
        foreach (var record in records)
        {
            using var parsed = JsonDocument.Parse(record);
            var id = parsed.RootElement.TryGetProperty("eventID", out var value) ? Encoding.UTF8.GetBytes(value.GetString()!) : [];
            builder.Append(Encoding.UTF8.GetBytes(record), id);
        }

        return new FilteredChunk(obj, sequence) { Records = records.Length, Kept = records.Length, Pieces = [builder.Build()] };
    }

    private static FilteredChunk End(TrackedObject obj, long sequence) => new(obj, sequence) { End = Whole };

    private static async Task<List<ObjectOutcome>> WriteAllAsync(InMemorySink sink, OutputOptions options, PipelineCounters counters, params FilteredChunk[] chunks)
    {
        var stage = new WriteStage(sink, options, counters, new FlushSignal(), TimeProvider.System, NullLogger.Instance, detections: null);
        var input = Channel.CreateUnbounded<FilteredChunk>();
        foreach (var chunk in chunks)
        {
            await input.Writer.WriteAsync(chunk);
        }

        input.Writer.Complete();
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        var results = new List<ObjectOutcome>();
        using var timeout = new CancellationTokenSource(Timeout);
        await foreach (var outcome in outcomes.Reader.ReadAllAsync(timeout.Token))
        {
            results.Add(outcome);
        }

        await run.WaitAsync(Timeout);
        return results;
    }
}
