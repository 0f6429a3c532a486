using System.IO.Compression;
using System.Security.Cryptography;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Findings: an object's findings are held until it was read whole (a failed object raises none), then appended to the
/// open findings object of their day, one gzip member per object and day, and the object counts that findings object
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

        foreach (var group in staged.SelectMany(b => b.Findings.Select(f => (Batch: b, Finding: f))).GroupBy(x => _detections.Layout.PartitionOf(x.Finding.Day)))
        {
            var batch = await AlertBatchAsync(group.Key, cancellationToken).ConfigureAwait(false);
            var lines = 0;
            long raw = 0;
            using var member = new MemoryStream();
            using (var gzip = new GZipStream(member, CompressionLevel.Fastest, leaveOpen: true))
            {
                foreach (var (findings, finding) in group)
                {
                    var line = findings.LineOf(finding);
                    gzip.Write(line.Span);
                    raw += line.Length;
                    lines++;
                }
            }

            await batch.Output.WriteAsync(member.GetBuffer().AsMemory(0, (int)member.Length), cancellationToken).ConfigureAwait(false);
            batch.Records += lines;
            batch.RawBytes += raw;
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
