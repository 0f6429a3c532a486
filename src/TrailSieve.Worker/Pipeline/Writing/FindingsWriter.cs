using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Detections;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// Findings: a read-whole object's findings (compressed by the filter workers, one gzip member per chunk and day) are
/// appended to the open findings object of their day, which then holds the object. So an SQS message is deleted only
/// once the findings from its objects are durable too, in mirror mode as in batch mode.
/// </summary>
internal sealed class FindingsWriter(DetectionsRuntime detections, TimeProvider timeProvider, ILogger logger)
    : BatchingWriter<DateOnly>(detections.FindingsSink, new BatchPolicy(detections.MaxBytes, detections.MaxAge, timeProvider))
{
    protected override string Noun => "findings";

    public async Task AppendAsync(ObjectProgress obj, List<FindingPiece> pieces, CancellationToken cancellationToken)
    {
        foreach (var piece in pieces)
        {
            // A finding without an eventTime goes under the day it is written: where today's findings are looked for,
            // not a made-up day such as 0001/01/01 that no query over recent days reads.
            var day = piece.Partition ?? DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
            var (batch, _) = await BatchForAsync(day, cancellationToken).ConfigureAwait(false);
            await batch.Output.WriteAsync(piece.Compressed, cancellationToken).ConfigureAwait(false);
            batch.Records += piece.Count;
            batch.RawBytes += piece.RawBytes;
            batch.Hold(obj);
        }
    }

    protected override string NewKey(DateOnly key) => detections.Layout.Key(key, RandomNumberGenerator.GetString(BatchWriter.IdAlphabet, 16));

    protected override void OnCommitted(OpenBatch<DateOnly> batch) =>
        Detections.Log.FindingsCommitted(logger, Sink.Describe(batch.Output.Key), batch.Records, batch.Output.Length);
}
