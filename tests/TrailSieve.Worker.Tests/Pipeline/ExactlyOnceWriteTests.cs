using System.IO.Compression;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

/// <summary>The write stage in batch mode with the delivery ledger: redeliveries, rival workers, crashes and a late commit.</summary>
public class ExactlyOnceWriteTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private static readonly PartitionKey Partition = new("111122223333", "us-east-1", new DateOnly(2026, 1, 2));

    private readonly FakeTimeProvider _time = new();
    private readonly InMemorySink _sink = new();
    private readonly ConditionalLedgerStore _store;
    private readonly PipelineCounters _counters = new();
    private readonly FlushSignal _flush = new();

    public ExactlyOnceWriteTests() => _store = new ConditionalLedgerStore(_time, k => _sink.Committed.ContainsKey(k));

    [Fact]
    public async Task RunAsync_SameObjectDeliveredTwice_RecordsOnceAndTheSecondSkipped()
    {
        // Given an object written and committed once
        var records = new[] { OutputDocuments.Record("RunInstances", id: 1), OutputDocuments.Record("RunInstances", id: 2) };
        var first = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), records);
        Assert.Equal(ObjectStatus.Succeeded, first.Status);

        // When the same notification is processed again (a redelivery, or another task that received it)
        var second = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), records);

        // Then it is skipped as already delivered, no batch is opened for it, and its records are in the output once
        Assert.Equal(ObjectStatus.Skipped, second.Status);
        Assert.Equal(1, _sink.Created);
        var batch = Assert.Single(_sink.Committed.Keys);
        Assert.Equal(records, _sink.RecordsOf(batch));
        Assert.Equal(1, _counters.LedgerClaims["delivered"]);
    }

    [Fact]
    public async Task RunAsync_ObjectHeldByALiveWorker_FailsRetryableAndWritesNothing()
    {
        // Given another worker's fresh claim on the object, its batch not committed yet
        var rival = new DeliveryLedger(_store, "", Lease, new PipelineCounters(), _time, NullLogger.Instance);
        await rival.ClaimAsync("trail", "a.json.gz", "\"e1\"", new Dictionary<string, string> { ["111122223333/us-east-1/2026-01-02"] = "rival-batch" }, CancellationToken.None);

        // When this worker gets the object too
        var outcome = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), OutputDocuments.Record("RunInstances"));

        // Then it fails as claimed (retryable: its message comes back) and nothing is opened or committed
        Assert.Equal(ObjectStatus.Failed, outcome.Status);
        Assert.Equal(nameof(ObjectClaimedException), outcome.ErrorType);
        Assert.Contains("s3://trail/a.json.gz", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, _sink.Created);
        Assert.Empty(_sink.Committed);
    }

    [Fact]
    public async Task RunAsync_CrashBeforeTheCommit_RedeliveryAfterTheLeaseWritesOnce()
    {
        // Given a worker that claimed the object and stopped before its batch was committed (aborted, as by a crash)
        var records = new[] { OutputDocuments.Record("RunInstances", id: 7) };
        var (stage, input, outcomes) = Start();
        using var stop = new CancellationTokenSource();
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sink.OnCreated = _ => opened.TrySetResult();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, stop.Token);
        await WriteObjectAsync(input.Writer, PipelineHarness.TrackedS3Object("a.json.gz"), records);
        await opened.Task.WaitAsync(Timeout);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        Assert.Empty(_sink.Committed);
        _sink.OnCreated = null;

        // When the message comes back within the lease, and again after it
        var early = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), records);
        _time.Advance(Lease);
        var late = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), records);

        // Then the early one is held off (the claim might still be live), the late one takes over and writes once
        Assert.Equal(ObjectStatus.Failed, early.Status);
        Assert.Equal(ObjectStatus.Succeeded, late.Status);
        var batch = Assert.Single(_sink.Committed.Keys);
        Assert.Equal(records, _sink.RecordsOf(batch));
    }

    [Fact]
    public async Task RunAsync_BatchCommittedPastHalfTheLease_NotCommittedAndItsObjectsFail()
    {
        // Given a batch open far longer than half the claim lease (an hour's max age, nothing else making it due)
        var (stage, input, outcomes) = Start(maxAge: TimeSpan.FromHours(1));
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sink.OnCreated = _ => opened.TrySetResult();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        await WriteObjectAsync(input.Writer, PipelineHarness.TrackedS3Object("a.json.gz"), OutputDocuments.Record("RunInstances"));
        await opened.Task.WaitAsync(Timeout);

        // When it is flushed after more than half the lease
        _time.Advance(Lease / 2 + TimeSpan.FromSeconds(1));
        _flush.Request();

        // Then it is not committed (its claims may have been taken over) and its object fails, saying why
        var outcome = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(ObjectStatus.Failed, outcome.Status);
        Assert.Contains("half the claim lease", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_sink.Committed);
        input.Writer.Complete();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task RunAsync_TwoObjectsInOneBatch_BothClaimedForItAndBothDeliveredOnce()
    {
        // Given two objects written into the same batch
        var (stage, input, outcomes) = Start();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        await WriteObjectAsync(input.Writer, PipelineHarness.TrackedS3Object("a.json.gz"), OutputDocuments.Record("RunInstances", id: 1));
        await WriteObjectAsync(input.Writer, PipelineHarness.TrackedS3Object("b.json.gz"), OutputDocuments.Record("RunInstances", id: 2));
        input.Writer.Complete();
        await run.WaitAsync(Timeout);

        // Then both markers name the one committed batch
        var batch = Assert.Single(_sink.Committed.Keys);
        var markers = _store.Markers.Keys.Where(k => !k.EndsWith("_probe", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, markers.Count);
        Assert.All(markers, k => Assert.Equal(batch, _store.Marker(k).Batches["111122223333/us-east-1/2026-01-02"]));
    }

    [Fact]
    public async Task RunAsync_ManyClaimedBatchesCommittedTogether_EachCommittedAndNamedByItsMarker()
    {
        // Given 40 objects in 40 partitions, all claimed, whose batches the end of the input commits side by side
        // (the commits overlap, and each checks the claim bookkeeping it shares with the others)
        var (stage, input, outcomes) = Start();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        for (var i = 0; i < 40; i++)
        {
            var partition = Partition with { Day = Partition.Day.AddDays(i) };
            await WriteObjectAsync(input.Writer, PipelineHarness.TrackedS3Object($"o{i}.json.gz"), partition, OutputDocuments.Record("RunInstances", time: $"{partition.Day:yyyy-MM-dd}T00:00:00Z", id: i));
        }

        // When
        input.Writer.Complete();
        await run.WaitAsync(Timeout);

        // Then every object succeeded, 40 batches are durable, and each marker names a durable batch of its day
        var results = await outcomes.Reader.ReadAllAsync().ToListAsync();
        Assert.Equal(40, results.Count);
        Assert.All(results, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
        Assert.Equal(40, _sink.Committed.Count);
        var markers = _store.Markers.Keys.Where(k => !k.EndsWith("_probe", StringComparison.Ordinal)).ToList();
        Assert.Equal(40, markers.Count);
        Assert.All(markers, k => Assert.Contains(Assert.Single(_store.Marker(k).Batches.Values), _sink.Committed.Keys));
    }

    private (WriteStage Stage, Channel<FilteredChunk> Input, Channel<ObjectOutcome> Outcomes) Start(TimeSpan? maxAge = null)
    {
        var ledger = new DeliveryLedger(_store, "", Lease, _counters, _time, NullLogger.Instance);
        var options = new OutputOptions { Mode = OutputMode.Batch, MaxAge = maxAge ?? TimeSpan.FromSeconds(60) };
        var stage = new WriteStage(_sink, options, _counters, _flush, _time, NullLogger.Instance, detections: null, ledger: ledger);
        return (stage, Channel.CreateUnbounded<FilteredChunk>(), Channel.CreateUnbounded<ObjectOutcome>());
    }

    /// <summary>Writes one object through a fresh write stage (another delivery, or another worker) to the end; its outcome.</summary>
    private async Task<ObjectOutcome> WriteAllAsync(TrackedObject obj, params string[] records)
    {
        var (stage, input, outcomes) = Start();
        await WriteObjectAsync(input.Writer, obj, records);
        input.Writer.Complete();
        await stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None).WaitAsync(Timeout);
        return Assert.Single(await outcomes.Reader.ReadAllAsync().ToListAsync());
    }

    private static Task WriteObjectAsync(ChannelWriter<FilteredChunk> input, TrackedObject obj, params string[] records) =>
        WriteObjectAsync(input, obj, Partition, records);

    private static async Task WriteObjectAsync(ChannelWriter<FilteredChunk> input, TrackedObject obj, PartitionKey partition, params string[] records)
    {
        using var builder = new PieceBuilder(partition, CompressionLevel.Fastest);
        foreach (var record in records)
        {
            builder.Append(Encoding.UTF8.GetBytes(record));
        }

        await input.WriteAsync(new FilteredChunk(obj, 0) { Records = records.Length, Kept = records.Length, Pieces = [builder.Build()] });
        await input.WriteAsync(new FilteredChunk(obj, 1) { End = new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null, Version: "\"e1\"") });
    }
}
