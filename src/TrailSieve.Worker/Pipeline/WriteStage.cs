using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Stage 3, one consumer: puts each object's pieces back in order and writes them. Mirror mode streams an object's
/// pieces into its own output and commits it at the object's end; batch mode holds an object's pieces until it was
/// read whole, then appends them to its partitions' open batches, committed by size, by age, or at the end.
/// An object is reported done only when every output holding its records is committed, and, with detections, every
/// findings object holding its findings. This file takes the chunks in order and finishes objects; the aspects are
/// in WriteStage.Mirror.cs, WriteStage.Batches.cs (and commits), WriteStage.Aging.cs (flush by age or on request),
/// WriteStage.Alerts.cs (findings) and WriteStage.Report.cs (outcomes).
/// </summary>
internal sealed partial class WriteStage
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly IObjectSink _sink;
    private readonly OutputOptions _options;
    private readonly PipelineCounters _counters;
    private readonly IObjectObserver? _observer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly KeyTemplate? _keyTemplate;
    private readonly Dictionary<PartitionKey, Batch> _batches = [];
    private readonly HashSet<FileContext> _openMirrors = [];
    private TaskCompletionSource _flushRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WriteStage(
        IObjectSink sink, OutputOptions options, PipelineCounters counters, IObjectObserver? observer, TimeProvider timeProvider, ILogger logger, DetectionsRuntime? detections = null)
    {
        _detections = detections;
        _sink = sink;
        _options = options;
        _counters = counters;
        _observer = observer;
        _timeProvider = timeProvider;
        _logger = logger;
        _keyTemplate = options.Mode == OutputMode.Batch ? new KeyTemplate(options.KeyTemplate) : null;
    }

    /// <summary>
    /// Asks for every open batch to be committed now (thread-safe). The service calls it when its receivers are out
    /// of room: in batch mode a message stays in flight until its batch is committed, so waiting for size or age
    /// would stall receiving.
    /// </summary>
    public void RequestFlush() => Volatile.Read(ref _flushRequested).TrySetResult();

    public async Task RunAsync(ChannelReader<ChunkWork> input, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var wait = input.WaitToReadAsync(cancellationToken).AsTask();
                await FlushAgedWhileWaitingAsync(wait, cancellationToken).ConfigureAwait(false);
                if (!await wait.ConfigureAwait(false))
                {
                    break;
                }

                while (input.TryRead(out var work))
                {
                    await AcceptAsync(work, cancellationToken).ConfigureAwait(false);
                }

                await FlushAgedAsync(cancellationToken).ConfigureAwait(false);
            }

            // The input is complete: every object has ended, so every open batch can be committed.
            foreach (var batch in _batches.Values.Concat(_alertBatches.Values).ToList())
            {
                await CommitBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var batch in _alertBatches.Values)
            {
                await batch.Output.DisposeAsync().ConfigureAwait(false);
            }

            _alertBatches.Clear();
            // Whatever is still open was not finished (cancellation or a fault upstream): abort it, report nothing,
            // so its inputs are processed again rather than acknowledged.
            foreach (var batch in _batches.Values)
            {
                await batch.Output.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var file in _openMirrors)
            {
                await file.MirrorOutput!.DisposeAsync().ConfigureAwait(false);
            }

            _batches.Clear();
            _openMirrors.Clear();
        }
    }

    private async Task AcceptAsync(ChunkWork work, CancellationToken cancellationToken)
    {
        var file = work.File;
        if (work.Sequence != file.NextSequence)
        {
            (file.Pending ??= []).Add(work.Sequence, work);
            return;
        }

        await ProcessInOrderAsync(work, cancellationToken).ConfigureAwait(false);
        file.NextSequence++;
        while (file.Pending is not null && file.Pending.Remove(file.NextSequence, out var next))
        {
            await ProcessInOrderAsync(next, cancellationToken).ConfigureAwait(false);
            file.NextSequence++;
        }
    }

    private async Task ProcessInOrderAsync(ChunkWork work, CancellationToken cancellationToken)
    {
        var file = work.File;
        if (work.IsEnd)
        {
            await FinishObjectAsync(file, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            if (file.Error is not null)
            {
                return;
            }

            if (work.Error is not null)
            {
                file.Error = work.Error;
                await DiscardAsync(file).ConfigureAwait(false);
                return;
            }

            file.Records += work.Records;
            file.Kept += work.Kept;
            file.Dropped += work.Dropped;
            if (work.Findings is not null)
            {
                (file.StagedFindings ??= []).AddRange(work.Findings);
                work.Findings = null;
            }

            if (work.Pieces is null)
            {
                return;
            }

            if (_options.Mode == OutputMode.Batch)
            {
                (file.Staged ??= []).AddRange(work.Pieces);
                work.Pieces = null;
                return;
            }

            foreach (var piece in work.Pieces)
            {
                await AppendMirrorAsync(file, piece, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            file.Error = ex;
            await DiscardAsync(file).ConfigureAwait(false);
        }
        finally
        {
            work.DisposePieces();
        }
    }

    private async Task FinishObjectAsync(FileContext file, CancellationToken cancellationToken)
    {
        if (file.Error is not null)
        {
            await DiscardAsync(file).ConfigureAwait(false);
            Report(file, ObjectStatus.Failed);
            return;
        }

        if (file.IsDigest || file.SkipReason is not null)
        {
            Report(file, ObjectStatus.Skipped);
            return;
        }

        try
        {
            if (_options.Mode == OutputMode.Mirror)
            {
                await FinishMirrorAsync(file, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AppendToBatchesAsync(file, cancellationToken).ConfigureAwait(false);
            }

            await AppendFindingsAsync(file, cancellationToken).ConfigureAwait(false);
            await CommitFullBatchesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            file.Error = ex;
            await DiscardAsync(file).ConfigureAwait(false);
            Report(file, ObjectStatus.Failed);
            return;
        }

        if (file.OpenBatches == 0)
        {
            Report(file, ObjectStatus.Succeeded);
        }
    }

    private async Task DiscardAsync(FileContext file)
    {
        if (file.MirrorOutput is not null)
        {
            _openMirrors.Remove(file);
            await file.MirrorOutput.DisposeAsync().ConfigureAwait(false);
            file.MirrorOutput = null;
        }

        if (file.Staged is not null)
        {
            foreach (var piece in file.Staged)
            {
                piece.Dispose();
            }

            file.Staged = null;
        }

        file.StagedFindings = null;
    }
}
