using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// Batch mode: a read-whole object's pieces are appended to the open batch of their partition (account, region,
/// day), one CloudTrail document per batch under <see cref="Options.OutputOptions.KeyTemplate"/>. With a
/// <see cref="BatchDeduplicator"/>, a record the batch already holds (delivered twice) is not appended again.
/// </summary>
internal sealed class BatchWriter(
    IObjectSink sink, BatchPolicy policy, string prefix, KeyTemplate keyTemplate, PipelineCounters counters, TimeProvider timeProvider, ILogger logger, BatchDeduplicator? deduplicator = null)
    : BatchingWriter<PartitionKey>(sink, policy)
{
    internal const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    protected override string Noun => "output";

    /// <summary>Appends the object's staged pieces (and gives their buffers back); the batches now hold the object.</summary>
    public async Task AppendAsync(ObjectProgress obj, List<OutputPiece> pieces, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var piece in pieces)
            {
                var (batch, opened) = await BatchForAsync(piece.Partition, cancellationToken).ConfigureAwait(false);
                if (opened)
                {
                    await batch.Output.WriteAsync(GzipMembers.Header, cancellationToken).ConfigureAwait(false);
                }

                var written = deduplicator is null ? piece : deduplicator.Apply(batch, piece, obj);
                try
                {
                    if (written is not null)
                    {
                        if (batch.Records > 0)
                        {
                            await batch.Output.WriteAsync(GzipMembers.Separator, cancellationToken).ConfigureAwait(false);
                        }

                        await batch.Output.WriteAsync(written.Compressed, cancellationToken).ConfigureAwait(false);
                        batch.Records += written.Records;
                        batch.RawBytes += written.RawBytes;
                    }
                }
                finally
                {
                    if (written is not null && !ReferenceEquals(written, piece))
                    {
                        written.Dispose();
                    }
                }

                // Even when every record was a duplicate: the object is done only once the batch holding them is.
                batch.Hold(obj);
            }
        }
        finally
        {
            foreach (var piece in pieces)
            {
                piece.Dispose();
            }
        }
    }

    protected override string NewKey(PartitionKey key) =>
        keyTemplate.Render(prefix, key, timeProvider.GetUtcNow(), RandomNumberGenerator.GetString(IdAlphabet, 16));

    protected override ValueTask BeforeCommitAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken) =>
        batch.Output.WriteAsync(GzipMembers.Trailer, cancellationToken);

    protected override void OnCommitted(OpenBatch<PartitionKey> batch)
    {
        counters.AddOutput(batch.Output.Length);
        Log.OutputCommitted(logger, Sink.Describe(batch.Output.Key), batch.Records, batch.Output.Length);
    }
}
