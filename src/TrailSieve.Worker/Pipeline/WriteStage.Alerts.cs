using System.Security.Cryptography;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Findings: an object's findings (compressed by the filter workers, one gzip member per chunk and day) are held until
/// it was read whole (a failed object writes none), then appended to the open findings object of their day, and the
/// object counts that findings object
/// among its open batches. So an SQS message is deleted only once the findings from its objects are durable too, in
/// mirror mode as in batch mode; a failed findings commit fails its objects, whose messages come back.
/// </summary>
internal sealed partial class WriteStage
{
    private readonly Dictionary<DateOnly, Batch> _alertBatches = [];
    private readonly DetectionsRuntime? _detections;

    private async Task AppendFindingsAsync(FileContext file, CancellationToken cancellationToken)
    {
        if (file.StagedFindings is not { } staged)
        {
            return;
        }

        file.StagedFindings = null;
        if (_detections is null)
        {
            return;
        }

        foreach (var piece in staged)
        {
            // A finding without an eventTime goes under the day it is written: where today's alerts are looked for,
            // not a made-up day such as 0001/01/01 that no query over recent days reads.
            var day = piece.Partition ?? DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
            var batch = await AlertBatchAsync(day, cancellationToken).ConfigureAwait(false);
            await batch.Output.WriteAsync(piece.Compressed, cancellationToken).ConfigureAwait(false);
            batch.Records += piece.Count;
            batch.RawBytes += piece.RawBytes;
            if (batch.Files.Add(file))
            {
                file.OpenBatches++;
            }
        }
    }

    private async Task<Batch> AlertBatchAsync(DateOnly partition, CancellationToken cancellationToken)
    {
        if (_alertBatches.TryGetValue(partition, out var batch))
        {
            return batch;
        }

        var key = _detections!.Layout.Key(partition, RandomNumberGenerator.GetString(IdAlphabet, 16));
        var output = await _detections.AlertsSink.CreateAsync(key, cancellationToken).ConfigureAwait(false);
        batch = new Batch(new PartitionKey(string.Empty, string.Empty, partition), output, _timeProvider.GetTimestamp(), isAlerts: true);
        _alertBatches.Add(partition, batch);
        return batch;
    }
}
