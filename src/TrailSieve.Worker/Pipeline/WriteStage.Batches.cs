using System.Diagnostics;
using System.Security.Cryptography;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Batch mode: an object's pieces, held until it was read whole, are appended to the open batch of their partition;
/// a batch is committed by size (here), by age or on request (WriteStage.Aging.cs), or at the end, and reports every
/// object it completes. Findings objects share the commit path.
/// </summary>
internal sealed partial class WriteStage
{
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
}
