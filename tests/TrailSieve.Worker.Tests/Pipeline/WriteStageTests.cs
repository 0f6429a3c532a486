using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Batching;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

public class WriteStageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly PartitionKey Partition = new("111122223333", "us-east-1", new DateOnly(2026, 1, 2));

    [Fact]
    public async Task RunAsync_MirrorChunksOutOfOrder_WrittenInReadOrder()
    {
        // Given one object's three chunks and its end, arriving in the order 2, end, 0, 1
        var records = Enumerable.Range(0, 5).Select(i => OutputDocuments.Record("RunInstances", id: i)).ToArray();
        var obj = Tracked("a.json.gz");
        var sink = new InMemorySink();
        var chunks = new[]
        {
            Chunk(obj, 2, records[3], records[4]),
            End(obj, 3, new ReadEnd(100, 200, IsDigest: false, SkipReason: null, Error: null)),
            Chunk(obj, 0, records[0], records[1]),
            Chunk(obj, 1, records[2]),
        };

        // When
        var outcomes = await WriteAllAsync(sink, new OutputOptions { Mode = OutputMode.Mirror }, chunks);

        // Then the output holds the records in their read order, and the object succeeded with its sums
        Assert.Equal(records, sink.RecordsOf("a.json.gz"));
        var outcome = Assert.Single(outcomes);
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        Assert.Equal((5L, 5L, 0L), (outcome.Records, outcome.Kept, outcome.Dropped));
        Assert.Equal((100L, 200L), (outcome.SourceBytes, outcome.DecodedBytes));
    }

    [Fact]
    public async Task RunAsync_MirrorCommitHeld_NextObjectWrittenAndReportedMeanwhile()
    {
        // Given a mirror writer whose sink holds the first object's commit until told, and a second object after it
        var sink = new InMemorySink();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sink.BeforeCommit = key => key == "a.json.gz" ? release.Task : Task.CompletedTask;
        var stage = new WriteStage(
            sink, new OutputOptions { Mode = OutputMode.Mirror }, new PipelineCounters(), new FlushSignal(), TimeProvider.System, NullLogger.Instance, detections: null);
        var input = Channel.CreateUnbounded<FilteredChunk>();
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        var a = Tracked("a.json.gz");
        var b = Tracked("b.json.gz");
        var record = OutputDocuments.Record("RunInstances");
        await input.Writer.WriteAsync(Chunk(a, 0, record));
        await input.Writer.WriteAsync(End(a, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));
        await input.Writer.WriteAsync(Chunk(b, 0, record));
        await input.Writer.WriteAsync(End(b, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));

        // Then while a's commit is in flight, b is committed and reported, and a is not reported
        var first = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(("b.json.gz", ObjectStatus.Succeeded), (first.Source.Key, first.Status));
        Assert.False(sink.Committed.ContainsKey("a.json.gz"));
        Assert.False(outcomes.Reader.TryRead(out _));

        // When a's commit completes, the input staying open (the service)
        release.SetResult();

        // Then a is reported once it is durable
        var second = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(("a.json.gz", ObjectStatus.Succeeded), (second.Source.Key, second.Status));
        Assert.Equal([record], sink.RecordsOf("a.json.gz"));
        input.Writer.Complete();
        await run.WaitAsync(Timeout);
        await outcomes.Reader.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task RunAsync_FullBatchCommitHeld_NextObjectBatchedAndReportedMeanwhile()
    {
        // Given a batch writer whose batches are full with one record, and a sink holding the first batch's commit
        var sink = new InMemorySink();
        var keys = new List<string>();
        sink.OnCreated = key =>
        {
            lock (keys)
            {
                keys.Add(key);
            }
        };
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sink.BeforeCommit = key =>
        {
            lock (keys)
            {
                return key == keys[0] ? release.Task : Task.CompletedTask;
            }
        };
        var stage = new WriteStage(
            sink, new OutputOptions { Mode = OutputMode.Batch, MaxBytes = 1 }, new PipelineCounters(), new FlushSignal(), TimeProvider.System, NullLogger.Instance, detections: null);
        var input = Channel.CreateUnbounded<FilteredChunk>();
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        var a = Tracked("a.json.gz");
        var b = Tracked("b.json.gz");
        var ra = OutputDocuments.Record("RunInstances", id: 1);
        var rb = OutputDocuments.Record("RunInstances", id: 2);
        await input.Writer.WriteAsync(Chunk(a, 0, ra));
        await input.Writer.WriteAsync(End(a, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));
        await input.Writer.WriteAsync(Chunk(b, 0, rb));
        await input.Writer.WriteAsync(End(b, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));

        // Then while a's full batch is uploading, b goes into a new batch, committed and reported; a is not reported
        var first = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(("b.json.gz", ObjectStatus.Succeeded), (first.Source.Key, first.Status));
        Assert.Equal([rb], sink.RecordsOf(keys[1]));
        Assert.False(sink.Committed.ContainsKey(keys[0]));
        Assert.False(outcomes.Reader.TryRead(out _));

        // When a's commit completes
        release.SetResult();

        // Then a is reported once its batch is durable
        var second = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(("a.json.gz", ObjectStatus.Succeeded), (second.Source.Key, second.Status));
        Assert.Equal([ra], sink.RecordsOf(keys[0]));
        input.Writer.Complete();
        await run.WaitAsync(Timeout);
        await outcomes.Reader.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task RunAsync_MirrorCommitFails_ThatObjectFailedRetryableOthersSucceed()
    {
        // Given two mirror objects, the first one's commit failing
        var sink = new InMemorySink { FailCommit = key => key == "a.json.gz" };
        var a = Tracked("a.json.gz");
        var b = Tracked("b.json.gz");
        var record = OutputDocuments.Record("RunInstances");

        // When
        var outcomes = await WriteAllAsync(
            sink,
            new OutputOptions { Mode = OutputMode.Mirror },
            Chunk(a, 0, record),
            End(a, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)),
            Chunk(b, 0, record),
            End(b, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));

        // Then a failed with the commit's error (retryable: nothing of it is durable), b succeeded, each reported once
        Assert.Equal(2, outcomes.Count);
        var failed = outcomes.Single(o => o.Source.Key == "a.json.gz");
        Assert.Equal((ObjectStatus.Failed, "IOException", true), (failed.Status, failed.ErrorType, failed.Retryable));
        Assert.Equal(ObjectStatus.Succeeded, outcomes.Single(o => o.Source.Key == "b.json.gz").Status);
        Assert.Equal(["b.json.gz"], sink.Committed.Keys);
        Assert.Equal(1, sink.Aborted);
    }

    [Fact]
    public async Task RunAsync_CancelledWithMirrorCommitInFlight_ObjectNotReported()
    {
        // Given a mirror object whose commit the sink holds
        var sink = new InMemorySink();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        sink.BeforeCommit = _ =>
        {
            started.TrySetResult();
            return never.Task;
        };
        var stage = new WriteStage(
            sink, new OutputOptions { Mode = OutputMode.Mirror }, new PipelineCounters(), new FlushSignal(), TimeProvider.System, NullLogger.Instance, detections: null);
        var input = Channel.CreateUnbounded<FilteredChunk>();
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        using var stop = new CancellationTokenSource();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, stop.Token);
        var obj = Tracked("a.json.gz");
        await input.Writer.WriteAsync(Chunk(obj, 0, OutputDocuments.Record("RunInstances")));
        await input.Writer.WriteAsync(End(obj, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));
        await started.Task.WaitAsync(Timeout);

        // When the stage is stopped while the commit is in flight
        await stop.CancelAsync();

        // Then the stage ends, the commit abandoned (its output aborted), and the object is not reported: it is processed again
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        await outcomes.Reader.Completion.WaitAsync(Timeout);
        Assert.False(outcomes.Reader.TryRead(out _));
        Assert.Empty(sink.Committed);
        Assert.Equal(1, sink.Aborted);
    }

    [Fact]
    public async Task RunAsync_BatchOpenThenFlushRequested_CommittedAndReportedBeforeMaxAge()
    {
        // Given a batch-mode writer on a fake clock whose input stays open (the service)
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var sink = new InMemorySink();
        var opened = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        sink.OnCreated = key => opened.TrySetResult(key);
        var flush = new FlushSignal();
        var stage = new WriteStage(
            sink, new OutputOptions { Mode = OutputMode.Batch, MaxAge = TimeSpan.FromSeconds(60) }, new PipelineCounters(), flush, time, NullLogger.Instance, detections: null);
        var input = Channel.CreateUnbounded<FilteredChunk>();
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        var record = OutputDocuments.Record("RunInstances");
        var obj = Tracked("a.json.gz");
        await input.Writer.WriteAsync(Chunk(obj, 0, record));
        await input.Writer.WriteAsync(End(obj, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));
        await opened.Task.WaitAsync(Timeout);

        // Then while its batch is open the object is not reported (on the fake clock no age can come due)
        Assert.False(outcomes.Reader.TryRead(out _));
        Assert.Empty(sink.Committed);

        // When a flush is requested, the clock standing still
        flush.Request();

        // Then the batch is committed and the object's outcome arrives
        var outcome = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        Assert.Equal("a.json.gz", outcome.Source.Key);
        var key = Assert.Single(sink.Committed.Keys);
        Assert.Equal(await opened.Task, key);
        Assert.Equal([record], sink.RecordsOf(key));
        Assert.Equal(start, time.GetUtcNow());

        input.Writer.Complete();
        await run.WaitAsync(Timeout);
        await outcomes.Reader.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task RunAsync_ChunkWithError_FailedOutcomeNoOutputAndNextObjectWritten()
    {
        // Given an object whose second chunk failed to filter (its first already streaming to its output), then a good object
        var bad = Tracked("bad.json.gz");
        var good = Tracked("good.json.gz");
        var sink = new InMemorySink();
        var record = OutputDocuments.Record("RunInstances");
        var chunks = new[]
        {
            Chunk(bad, 0, record),
            new FilteredChunk(bad, 1) { Error = new CloudTrailFormatException(CloudTrailErrorKind.InvalidRecord, "record 7 is not valid JSON") },
            Chunk(bad, 2, record),
            End(bad, 3, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)),
            Chunk(good, 0, record),
            End(good, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)),
        };

        // When
        var outcomes = await WriteAllAsync(sink, new OutputOptions { Mode = OutputMode.Mirror }, chunks);

        // Then the bad object failed with its reason, its started output aborted; the good one was written
        var failed = outcomes.Single(o => o.Source.Key == "bad.json.gz");
        Assert.Equal(ObjectStatus.Failed, failed.Status);
        Assert.Equal("InvalidRecord", failed.ErrorType);
        Assert.Equal("record 7 is not valid JSON", failed.Error);
        Assert.False(sink.Committed.ContainsKey("bad.json.gz"));
        Assert.Equal(1, sink.Aborted);
        Assert.Equal(ObjectStatus.Succeeded, outcomes.Single(o => o.Source.Key == "good.json.gz").Status);
        Assert.Equal([record], sink.RecordsOf("good.json.gz"));
        Assert.Equal(2, outcomes.Count);
    }

    [Fact]
    public async Task RunAsync_BatchChunkWithError_FailedAndNothingInTheBatch()
    {
        // Given, in batch mode, a failing object and a good one of the same partition
        var bad = Tracked("bad.json.gz");
        var good = Tracked("good.json.gz");
        var sink = new InMemorySink();
        var badRecord = OutputDocuments.Record("RunInstances", id: 1);
        var goodRecord = OutputDocuments.Record("RunInstances", id: 2);
        var chunks = new[]
        {
            Chunk(bad, 0, badRecord),
            new FilteredChunk(bad, 1) { Error = new InvalidOperationException("boom") },
            End(bad, 2, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)),
            Chunk(good, 0, goodRecord),
            End(good, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)),
        };

        // When
        var outcomes = await WriteAllAsync(sink, new OutputOptions { Mode = OutputMode.Batch }, chunks);

        // Then the batch holds only the good object's record
        Assert.Equal(ObjectStatus.Failed, outcomes.Single(o => o.Source.Key == "bad.json.gz").Status);
        Assert.Equal("InvalidOperationException", outcomes.Single(o => o.Source.Key == "bad.json.gz").ErrorType);
        Assert.Equal(ObjectStatus.Succeeded, outcomes.Single(o => o.Source.Key == "good.json.gz").Status);
        var key = Assert.Single(sink.Committed.Keys);
        Assert.Equal([goodRecord], sink.RecordsOf(key));
    }

    [Fact]
    public async Task RunAsync_InputCompletes_OpenBatchCommittedAndOutcomesCompleted()
    {
        // Given a batch-mode object whose batch is far from full or due, then the end of the input
        var sink = new InMemorySink();
        var obj = Tracked("a.json.gz");
        var record = OutputDocuments.Record("RunInstances");

        // When (WriteAllAsync completes the input and reads outcomes until their channel completes)
        var outcomes = await WriteAllAsync(
            sink,
            new OutputOptions { Mode = OutputMode.Batch, MaxAge = TimeSpan.FromHours(1) },
            Chunk(obj, 0, record),
            End(obj, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));

        // Then the batch was committed at the end, the object reported once, and the outcomes completed
        var outcome = Assert.Single(outcomes);
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        Assert.Equal([record], sink.RecordsOf(Assert.Single(sink.Committed.Keys)));
    }

    [Fact]
    public async Task RunAsync_InputFaultedWithObjectOpen_OutputAbortedOutcomesFaulted()
    {
        // Given an object whose mirror output has started, then the input completed with an upstream fault
        var sink = new InMemorySink();
        var obj = Tracked("a.json.gz");
        var stage = new WriteStage(
            sink, new OutputOptions { Mode = OutputMode.Mirror }, new PipelineCounters(), new FlushSignal(), TimeProvider.System, NullLogger.Instance, detections: null);
        var input = Channel.CreateUnbounded<FilteredChunk>();
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        await input.Writer.WriteAsync(Chunk(obj, 0, OutputDocuments.Record("RunInstances")));
        var upstream = new InvalidOperationException("upstream failed");
        input.Writer.Complete(upstream);

        // When
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);

        // Then the stage fails with it, nothing is committed or reported, and the outcomes complete with the fault
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => run.WaitAsync(Timeout));
        Assert.Same(upstream, thrown);
        Assert.Empty(sink.Committed);
        Assert.Equal(1, sink.Aborted);
        Assert.False(outcomes.Reader.TryRead(out _));
        var completed = await Assert.ThrowsAnyAsync<Exception>(() => outcomes.Reader.Completion.WaitAsync(Timeout));
        Assert.Same(upstream, completed);
    }

    [Fact]
    public async Task RunAsync_SeveralBatchesAtTheEnd_CommittedConcurrently()
    {
        // Given three objects in three partitions, and a sink whose commits each wait until all three have started
        const int partitions = 3;
        var sink = new InMemorySink();
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sink.BeforeCommit = _ =>
        {
            if (Interlocked.Increment(ref started) == partitions)
            {
                allStarted.TrySetResult();
            }

            return allStarted.Task;
        };
        var chunks = new List<FilteredChunk>();
        for (var i = 0; i < partitions; i++)
        {
            var obj = Tracked($"o{i}.json.gz");
            var partition = Partition with { Region = $"eu-west-{i + 1}" };
            chunks.Add(Chunk(obj, 0, partition, OutputDocuments.Record("RunInstances", region: partition.Region, id: i)));
            chunks.Add(End(obj, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)));
        }

        // When the input ends (the drain commits every open batch); one after another would wait forever here
        var outcomes = await WriteAllAsync(sink, new OutputOptions { Mode = OutputMode.Batch }, [.. chunks]);

        // Then all three were uploading at once, and every object succeeded
        Assert.Equal(partitions, sink.Committed.Count);
        Assert.All(outcomes, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
        Assert.Equal(partitions, outcomes.Count);
    }

    [Fact]
    public async Task RunAsync_FormatErrorAndCommitFailure_OnlyTheCommitFailureIsRetryable()
    {
        // Given a corrupt object and a good one whose batch cannot be committed
        var sink = new InMemorySink { FailCommit = _ => true };
        var bad = Tracked("bad.json.gz");
        var good = Tracked("good.json.gz");
        var chunks = new[]
        {
            new FilteredChunk(bad, 0) { Error = new CloudTrailFormatException(CloudTrailErrorKind.CorruptGzip, "bad deflate data") },
            End(bad, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)),
            Chunk(good, 0, OutputDocuments.Record("RunInstances")),
            End(good, 1, new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null)),
        };

        // When
        var outcomes = await WriteAllAsync(sink, new OutputOptions { Mode = OutputMode.Batch }, chunks);

        // Then both failed; the corrupt file cannot pass by trying again, the unwritten output can
        var badOutcome = outcomes.Single(o => o.Source.Key == "bad.json.gz");
        var goodOutcome = outcomes.Single(o => o.Source.Key == "good.json.gz");
        Assert.Equal((ObjectStatus.Failed, false, "CorruptGzip"), (badOutcome.Status, badOutcome.Retryable, badOutcome.ErrorType));
        Assert.Equal((ObjectStatus.Failed, true, "OutputCommitException"), (goodOutcome.Status, goodOutcome.Retryable, goodOutcome.ErrorType));
    }

    private static TrackedObject Tracked(string key) => new(PipelineHarness.Object(key, []), 0, null);

    /// <summary>A filtered chunk keeping every one of <paramref name="records"/>, in one piece of the test partition.</summary>
    private static FilteredChunk Chunk(TrackedObject obj, long sequence, params string[] records) => Chunk(obj, sequence, Partition, records);

    private static FilteredChunk Chunk(TrackedObject obj, long sequence, PartitionKey partition, params string[] records)
    {
        using var builder = new PieceBuilder(partition, CompressionLevel.Fastest);
        foreach (var record in records)
        {
            builder.Append(Encoding.UTF8.GetBytes(record));
        }

        return new FilteredChunk(obj, sequence) { Records = records.Length, Kept = records.Length, Pieces = [builder.Build()] };
    }

    private static FilteredChunk End(TrackedObject obj, long sequence, ReadEnd end) => new(obj, sequence) { End = end };

    /// <summary>Writes <paramref name="chunks"/> in the order given, completes the input and returns every outcome once the outcomes complete.</summary>
    private static async Task<List<ObjectOutcome>> WriteAllAsync(InMemorySink sink, OutputOptions options, params FilteredChunk[] chunks)
    {
        var stage = new WriteStage(sink, options, new PipelineCounters(), new FlushSignal(), TimeProvider.System, NullLogger.Instance, detections: null);
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
