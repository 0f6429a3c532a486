using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Batching;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Ocsf;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;
using TrailSieve.Worker.Pipeline.Writing;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Stage 3, one consumer: takes each object's filtered chunks in order (<see cref="ChunkReorderer"/>) and writes them:
/// mirror mode streams an object into its own output (<see cref="MirrorWriter"/>); batch mode holds an object's
/// pieces until it was read whole, then appends them to its partitions' open batches (<see cref="BatchWriter"/>),
/// committed by size or age (<see cref="BatchPolicy"/>), on a <see cref="FlushSignal"/>, or at the end; findings go
/// the same way to the findings objects (<see cref="FindingsWriter"/>), unusable records to the quarantine
/// (<see cref="QuarantineWriter"/>). An object's outcome is sent
/// (<see cref="OutcomeReporter"/>) only when every output holding its records and findings is committed. Outputs
/// and batches are committed off the loop (<see cref="CommitsInFlight"/>), so the writer goes on taking chunks meanwhile.
/// </summary>
internal sealed class WriteStage
{
    private readonly ChunkReorderer _order = new();
    private readonly Dictionary<TrackedObject, ObjectProgress> _objects = [];
    private readonly List<FilteredChunk> _ready = [];
    private readonly MirrorWriter? _mirror;
    private readonly BatchWriter? _batches;
    private readonly FindingsWriter? _findings;
    private readonly QuarantineWriter? _quarantine;
    private readonly List<IBatchingWriter> _batching = [];
    private readonly CommitsInFlight _commits = new(MirrorWriter.MaxCommitsInFlight);
    private readonly CommitsInFlight _batchCommits = new(BatchingWriter<int>.MaxConcurrentCommits);
    private readonly FlushSignal _flush;
    private readonly PipelineCounters _counters;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>
    /// A writer to <paramref name="sink"/> in the mode of <paramref name="options"/>, counting into
    /// <paramref name="counters"/>; it commits every open batch when <paramref name="flush"/> is raised, and writes
    /// findings where <paramref name="detections"/> says (null: none are written, as in dry runs), and unusable records
    /// to the quarantine under <see cref="OutputOptions.QuarantinePrefix"/> when <paramref name="writeQuarantine"/>
    /// (false: they are only counted, as in dry runs); batch mode claims each object in <paramref name="ledger"/> before
    /// writing it (null: no exactly-once ledger); quarantine members are compressed by <paramref name="codec"/> (null: zlib).
    /// </summary>
    public WriteStage(
        IObjectSink sink,
        OutputOptions options,
        PipelineCounters counters,
        FlushSignal flush,
        TimeProvider timeProvider,
        ILogger logger,
        DetectionsRuntime? detections,
        bool writeQuarantine = true,
        DeliveryLedger? ledger = null,
        GzipCodec? codec = null)
    {
        if (options.Mode == OutputMode.Batch)
        {
            var policy = new BatchPolicy(options.MaxBytes, options.MaxAge, timeProvider);
            var deduplicator = options.DedupWindow > 0 ? new BatchDeduplicator(options.DedupWindow, counters, logger) : null;
            IBatchFormat format = options.Format == OutputFormat.Ocsf
                ? new OcsfParquetBatchFormat(new SecurityLakeLayout(options.OcsfSourceName, options.OcsfSourceVersion))
                : new GzipJsonBatchFormat(new KeyTemplate(options.KeyTemplate));
            _batches = new BatchWriter(sink, policy, options.Prefix, format, counters, timeProvider, logger, deduplicator, ledger);
            _batching.Add(_batches);
        }
        else
        {
            _mirror = new MirrorWriter(sink, options.Prefix, options.WriteEmpty, counters, logger);
        }

        if (detections is not null)
        {
            _findings = new FindingsWriter(detections, timeProvider, logger);
            _batching.Add(_findings);
        }

        if (writeQuarantine)
        {
            _quarantine = new QuarantineWriter(sink, new BatchPolicy(options.MaxBytes, options.MaxAge, timeProvider), options.QuarantinePrefix, timeProvider, logger, codec);
            _batching.Add(_quarantine);
        }

        _flush = flush;
        _counters = counters;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    private int OpenBatches => _batching.Sum(w => w.Count);

    private int CommitsRunning => _commits.Count + _batchCommits.Count;

    /// <summary>Runs until <paramref name="input"/> completes; completes <paramref name="outcomes"/> when it ends.</summary>
    public async Task RunAsync(ChannelReader<FilteredChunk> input, ChannelWriter<ObjectOutcome> outcomes, CancellationToken cancellationToken)
    {
        var reporter = new OutcomeReporter(outcomes, _counters, _timeProvider, _logger);
        Exception? failure = null;
        try
        {
            while (true)
            {
                var wait = input.WaitToReadAsync(cancellationToken).AsTask();
                await CommitDueWhileWaitingAsync(wait, reporter, cancellationToken).ConfigureAwait(false);
                if (!await wait.ConfigureAwait(false))
                {
                    break;
                }

                while (input.TryRead(out var chunk))
                {
                    _order.Accept(chunk, _ready);
                    foreach (var ready in _ready)
                    {
                        await ProcessInOrderAsync(ready, reporter, cancellationToken).ConfigureAwait(false);
                    }

                    _ready.Clear();
                }

                await SettleFinishedAsync(reporter, cancellationToken).ConfigureAwait(false);
                await CommitAsync(due: true, all: false, reporter, cancellationToken).ConfigureAwait(false);
            }

            // The input is complete: every object has ended, so every open batch can be committed.
            await CommitAsync(due: true, all: true, reporter, cancellationToken).ConfigureAwait(false);
            await _commits.SettleAllAsync(reporter, cancellationToken).ConfigureAwait(false);
            await _batchCommits.SettleAllAsync(reporter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex is OperationCanceledException ? null : ex;
            throw;
        }
        finally
        {
            // Whatever is still open was not finished (cancellation or a fault upstream): abort it and report
            // nothing, so its inputs are processed again rather than acknowledged.
            await AbortAsync().ConfigureAwait(false);
            outcomes.TryComplete(failure);
        }
    }

    private async Task ProcessInOrderAsync(FilteredChunk chunk, OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        if (!_objects.TryGetValue(chunk.Object, out var obj))
        {
            obj = new ObjectProgress(chunk.Object);
            _objects.Add(chunk.Object, obj);
        }

        if (chunk.End is { } end)
        {
            _objects.Remove(chunk.Object);
            obj.End = end;
            await FinishObjectAsync(obj, reporter, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            if (obj.Error is not null)
            {
                return;
            }

            if (chunk.Error is not null)
            {
                obj.Error = chunk.Error;
                await DiscardAsync(obj).ConfigureAwait(false);
                return;
            }

            if (chunk.Quarantined is { } quarantined)
            {
                obj.Quarantined++;
                (obj.StagedQuarantine ??= []).Add(quarantined);
                Log.RecordQuarantined(_logger, obj.Object.Name, quarantined.Index, quarantined.Offset, quarantined.Kind.ToString(), quarantined.Reason);
                return;
            }

            if (chunk.Unmappable is { } unmappable)
            {
                foreach (var record in unmappable)
                {
                    obj.Quarantined++;
                    (obj.StagedQuarantine ??= []).Add(record);
                    Log.RecordQuarantined(_logger, obj.Object.Name, record.Index, record.Offset, record.Kind.ToString(), record.Reason);
                }
            }

            obj.Records += chunk.Records;
            obj.Kept += chunk.Kept;
            obj.Dropped += chunk.Dropped;
            if (chunk.Findings is not null)
            {
                (obj.StagedFindings ??= []).AddRange(chunk.Findings);
                chunk.Findings = null;
            }

            if (chunk.Pieces is null)
            {
                return;
            }

            if (_mirror is null)
            {
                (obj.StagedPieces ??= []).AddRange(chunk.Pieces);
                chunk.Pieces = null;
                return;
            }

            foreach (var piece in chunk.Pieces)
            {
                await _mirror.AppendAsync(obj, piece, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            obj.Error = ex;
            await DiscardAsync(obj).ConfigureAwait(false);
        }
        finally
        {
            chunk.DisposePieces();
        }
    }

    private async Task FinishObjectAsync(ObjectProgress obj, OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        obj.Error ??= obj.End!.Error;
        if (obj.Error is not null)
        {
            await DiscardAsync(obj).ConfigureAwait(false);
            await reporter.ReportAsync(obj, ObjectStatus.Failed, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (obj.End!.IsSkipped)
        {
            // Nothing of a skipped object is written, whatever was kept before the skip.
            await DiscardAsync(obj).ConfigureAwait(false);
            await reporter.ReportAsync(obj, ObjectStatus.Skipped, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            if (_mirror is not null)
            {
                if (_mirror.Finish(obj, cancellationToken) is { } commit)
                {
                    // The output holds the object until its commit is settled, as an open batch would.
                    obj.OpenBatches++;
                    await _commits.StartAsync(commit, [obj], reporter, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (obj.StagedPieces is { } pieces)
            {
                obj.StagedPieces = null;
                await _batches!.AppendAsync(obj, pieces, cancellationToken).ConfigureAwait(false);
            }

            if (obj.StagedFindings is { } findings)
            {
                obj.StagedFindings = null;
                if (_findings is not null)
                {
                    await _findings.AppendAsync(obj, findings, cancellationToken).ConfigureAwait(false);
                }
            }

            if (obj.StagedQuarantine is { } quarantine)
            {
                obj.StagedQuarantine = null;
                if (_quarantine is not null)
                {
                    await _quarantine.AppendAsync(obj, quarantine, cancellationToken).ConfigureAwait(false);
                }
            }

            // Only once the object's records, findings and quarantine lines are all appended: no commit may report it
            // done while part of it is still unwritten.
            await CommitAsync(due: false, all: false, reporter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            obj.Error = ex;
            await DiscardAsync(obj).ConfigureAwait(false);
            await reporter.ReportAsync(obj, ObjectStatus.Failed, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (obj.OpenBatches == 0)
        {
            // Skipped here only when the delivery ledger found the object already delivered. An object still held by
            // a commit in flight is reported when that commit is settled.
            await reporter.ReportAsync(obj, obj.End.IsSkipped ? ObjectStatus.Skipped : ObjectStatus.Succeeded, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commits what is full, or also what is due by age, or everything (at the end or when a flush was requested).</summary>
    private async Task CommitAsync(bool due, bool all, OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        if (OpenBatches == 0)
        {
            // A flush requested while nothing is open stays requested: it is for the batches about to open.
            return;
        }

        all |= due && _flush.TryTake();
        foreach (var writer in _batching)
        {
            await writer.CommitAsync(due, all, _batchCommits, reporter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// While no input is there, waits for input, the oldest batch's due time, a flush request or a commit in flight to
    /// finish, whichever comes first, and commits what is due and settles what finished.
    /// </summary>
    private async Task CommitDueWhileWaitingAsync(Task<bool> wait, OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        while (!wait.IsCompleted && (OpenBatches > 0 || CommitsRunning > 0))
        {
            // With no batch open, only the input or a commit's end can wake the writer (a flush is for batches).
            var batchesOpen = OpenBatches > 0;
            var due = batchesOpen ? _batching.Min(w => w.NextDue()) : TimeSpan.MaxValue;
            var flush = batchesOpen ? _flush.Requested : null;
            if (due > TimeSpan.Zero && flush?.IsCompleted != true)
            {
                using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = batchesOpen ? Task.Delay(due, _timeProvider, delayCancellation.Token) : Task.Delay(Timeout.Infinite, delayCancellation.Token);
                var finished = CommitsRunning > 0 ? Task.WhenAny(_commits.AnyFinished(), _batchCommits.AnyFinished()) : delay;
                var woken = await Task.WhenAny(wait, delay, flush ?? delay, finished).ConfigureAwait(false);
                await delayCancellation.CancelAsync().ConfigureAwait(false);
                if (woken == wait)
                {
                    return;
                }
            }

            await SettleFinishedAsync(reporter, cancellationToken).ConfigureAwait(false);
            await CommitAsync(due: true, all: false, reporter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SettleFinishedAsync(OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        await _commits.SettleFinishedAsync(reporter, cancellationToken).ConfigureAwait(false);
        await _batchCommits.SettleFinishedAsync(reporter, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DiscardAsync(ObjectProgress obj)
    {
        if (_mirror is not null)
        {
            await _mirror.DiscardAsync(obj).ConfigureAwait(false);
        }

        obj.DiscardStaged();
    }

    private async ValueTask AbortAsync()
    {
        await _commits.AbandonAllAsync().ConfigureAwait(false);
        await _batchCommits.AbandonAllAsync().ConfigureAwait(false);
        if (_mirror is not null)
        {
            await _mirror.AbortAllAsync().ConfigureAwait(false);
        }

        foreach (var writer in _batching)
        {
            await writer.AbortAllAsync().ConfigureAwait(false);
        }

        foreach (var chunk in _order.Held())
        {
            chunk.DisposePieces();
        }

        foreach (var obj in _objects.Values)
        {
            obj.DiscardStaged();
        }

        _objects.Clear();
    }
}
