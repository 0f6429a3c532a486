using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.CloudTrail;
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
/// findings object holding its findings (WriteStage.Alerts.cs).
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

    private async Task AppendMirrorAsync(FileContext file, OutputPiece piece, CancellationToken cancellationToken)
    {
        if (file.MirrorOutput is null)
        {
            file.MirrorOutput = await _sink.CreateAsync(MirrorKey(file), cancellationToken).ConfigureAwait(false);
            _openMirrors.Add(file);
            await file.MirrorOutput.WriteAsync(GzipMembers.Header, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await file.MirrorOutput.WriteAsync(GzipMembers.Separator, cancellationToken).ConfigureAwait(false);
        }

        await file.MirrorOutput.WriteAsync(piece.Compressed, cancellationToken).ConfigureAwait(false);
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

    private async Task FinishMirrorAsync(FileContext file, CancellationToken cancellationToken)
    {
        var output = file.MirrorOutput;
        if (output is null)
        {
            if (!_options.WriteEmpty)
            {
                return;
            }

            output = await _sink.CreateAsync(MirrorKey(file), cancellationToken).ConfigureAwait(false);
            await using (output.ConfigureAwait(false))
            {
                await output.WriteAsync(GzipMembers.EmptyDocument, cancellationToken).ConfigureAwait(false);
                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
                _counters.AddOutput(output.Length);
            }

            return;
        }

        await output.WriteAsync(GzipMembers.Trailer, cancellationToken).ConfigureAwait(false);
        using (var upload = TrailSieveActivity.Source.StartActivity("object upload", ActivityKind.Client, file.Activity?.Context ?? default))
        {
            upload?.SetTag("trailsieve.output", _sink.Describe(output.Key));
            await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _counters.AddOutput(output.Length);
        Log.OutputCommitted(_logger, _sink.Describe(output.Key), file.Kept, output.Length);
        _openMirrors.Remove(file);
        file.MirrorOutput = null;
        await output.DisposeAsync().ConfigureAwait(false);
    }

    private async Task AppendToBatchesAsync(FileContext file, CancellationToken cancellationToken)
    {
        if (file.Staged is null)
        {
            return;
        }

        var staged = file.Staged;
        file.Staged = null;
        try
        {
            foreach (var piece in staged)
            {
                if (!_batches.TryGetValue(piece.Partition, out var batch))
                {
                    var createdAt = _timeProvider.GetUtcNow();
                    var key = _keyTemplate!.Render(_options.Prefix, piece.Partition, createdAt, RandomNumberGenerator.GetString(IdAlphabet, 16));
                    var output = await _sink.CreateAsync(key, cancellationToken).ConfigureAwait(false);
                    batch = new Batch(piece.Partition, output, _timeProvider.GetTimestamp());
                    _batches.Add(piece.Partition, batch);
                    await output.WriteAsync(GzipMembers.Header, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await batch.Output.WriteAsync(GzipMembers.Separator, cancellationToken).ConfigureAwait(false);
                }

                await batch.Output.WriteAsync(piece.Compressed, cancellationToken).ConfigureAwait(false);
                batch.Records += piece.Records;
                batch.RawBytes += piece.RawBytes;
                if (batch.Files.Add(file))
                {
                    file.OpenBatches++;
                }
            }
        }
        finally
        {
            foreach (var piece in staged)
            {
                piece.Dispose();
            }
        }

    }

    /// <summary>
    /// Commits every batch and findings object that reached its size. Called once an object's records and findings
    /// are both appended, so that no commit can report the object done while part of it is still unwritten.
    /// </summary>
    private async Task CommitFullBatchesAsync(CancellationToken cancellationToken)
    {
        var full = _batches.Values.Where(b => b.RawBytes >= _options.MaxBytes)
            .Concat(_alertBatches.Values.Where(b => b.RawBytes >= _detections!.MaxBytes))
            .ToList();
        foreach (var batch in full)
        {
            await CommitBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CommitBatchAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (batch.IsAlerts)
        {
            _alertBatches.Remove(batch.Partition.Day);
        }
        else
        {
            _batches.Remove(batch.Partition);
        }

        Exception? failure = null;
        try
        {
            if (!batch.IsAlerts)
            {
                await batch.Output.WriteAsync(GzipMembers.Trailer, cancellationToken).ConfigureAwait(false);
            }

            var links = batch.Files.Where(f => f.Activity is not null).Select(f => new ActivityLink(f.Activity!.Context));
            using var upload = TrailSieveActivity.Source.StartActivity("batch upload", ActivityKind.Client, parentContext: default, links: links);
            upload?.SetTag("trailsieve.output", _sink.Describe(batch.Output.Key));
            upload?.SetTag("trailsieve.records", batch.Records);
            await batch.Output.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (batch.IsAlerts)
            {
                Detections.Log.FindingsCommitted(_logger, _detections!.AlertsSink.Describe(batch.Output.Key), batch.Records, batch.Output.Length);
            }
            else
            {
                _counters.AddOutput(batch.Output.Length);
                Log.OutputCommitted(_logger, _sink.Describe(batch.Output.Key), batch.Records, batch.Output.Length);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex;
        }
        finally
        {
            await batch.Output.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var file in batch.Files)
        {
            file.OpenBatches--;
            if (failure is not null && file.Error is null)
            {
                // Its records are in no durable object: the object fails (and is retried where a queue redelivers it).
                var name = batch.IsAlerts ? _detections!.AlertsSink.Describe(batch.Output.Key) : _sink.Describe(batch.Output.Key);
                file.Error = new IOException($"writing {(batch.IsAlerts ? "findings" : "output")} {name} failed: {failure.Message}", failure);
                Report(file, ObjectStatus.Failed);
            }
            else if (file.OpenBatches == 0 && file.Error is null)
            {
                Report(file, ObjectStatus.Succeeded);
            }
        }
    }

    private async Task FlushAgedWhileWaitingAsync(Task<bool> wait, CancellationToken cancellationToken)
    {
        while (!wait.IsCompleted && (_batches.Count > 0 || _alertBatches.Count > 0))
        {
            var due = NextDue();
            var flush = Volatile.Read(ref _flushRequested).Task;
            if (due > TimeSpan.Zero && !flush.IsCompleted)
            {
                using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(due, _timeProvider, delayCancellation.Token);
                var woken = await Task.WhenAny(wait, delay, flush).ConfigureAwait(false);
                await delayCancellation.CancelAsync().ConfigureAwait(false);
                if (woken == wait)
                {
                    return;
                }
            }

            await FlushAgedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAgedAsync(CancellationToken cancellationToken)
    {
        if (_batches.Count == 0 && _alertBatches.Count == 0)
        {
            return;
        }

        var requested = Volatile.Read(ref _flushRequested);
        var all = requested.Task.IsCompleted;
        if (all)
        {
            Interlocked.CompareExchange(ref _flushRequested, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), requested);
        }

        foreach (var batch in _batches.Values.Concat(_alertBatches.Values).Where(b => all || _timeProvider.GetElapsedTime(b.CreatedTimestamp) >= MaxAgeOf(b)).ToList())
        {
            await CommitBatchAsync(batch, cancellationToken).ConfigureAwait(false);
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

    /// <summary>How long until the oldest open batch or findings object is due.</summary>
    private TimeSpan NextDue()
    {
        var due = TimeSpan.MaxValue;
        foreach (var batch in _batches.Values.Concat(_alertBatches.Values))
        {
            var left = MaxAgeOf(batch) - _timeProvider.GetElapsedTime(batch.CreatedTimestamp);
            due = left < due ? left : due;
        }

        return due;
    }

    private TimeSpan MaxAgeOf(Batch batch) => batch.IsAlerts ? _detections!.MaxAge : _options.MaxAge;

    private string MirrorKey(FileContext file) => _options.Prefix + file.Work.OutputKey;

    private void Report(FileContext file, ObjectStatus status)
    {
        if (file.Reported)
        {
            return;
        }

        file.Reported = true;
        var error = file.Error;
        var outcome = new ObjectOutcome(
            file.Work,
            status,
            file.Records,
            file.Kept,
            file.Dropped,
            file.SourceBytes,
            file.DecodedBytes,
            _timeProvider.GetElapsedTime(file.StartTimestamp),
            error switch
            {
                null => null,
                CloudTrailFormatException format => format.Kind.ToString(),
                _ => error.GetType().Name,
            },
            error?.Message);
        _counters.AddObject(outcome);
        if (file.Activity is { } activity)
        {
            activity.SetTag("trailsieve.records", file.Records);
            activity.SetTag("trailsieve.kept", file.Kept);
            activity.SetTag("trailsieve.status", status.ToString());
            if (status == ObjectStatus.Failed)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome.ErrorType);
            }

            activity.Stop();
        }

        switch (status)
        {
            case ObjectStatus.Failed:
                Log.ObjectFailed(_logger, file.Work.Name, outcome.ErrorType!, outcome.Error!);
                break;
            case ObjectStatus.Skipped when file.SkipReason is not null:
                Log.ObjectSkipped(_logger, file.Work.Name, file.SkipReason);
                break;
            case ObjectStatus.Skipped:
                Log.DigestSkipped(_logger, file.Work.Name);
                break;
            default:
                Log.ObjectFiltered(_logger, file.Work.Name, file.Records, file.Kept, file.Dropped, (long)outcome.Elapsed.TotalMilliseconds);
                break;
        }

        _observer?.OnCompleted(outcome);
        file.Work.Observer?.OnCompleted(outcome);
    }
}
