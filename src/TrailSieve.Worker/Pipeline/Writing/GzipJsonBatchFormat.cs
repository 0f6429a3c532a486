using TrailSieve.Core.Batching;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// <c>Output:Format</c> cloudtrail: a batch is one CloudTrail document of concatenated gzip members,
/// <c>{"Records":[</c>, the pieces separated by <c>,</c> members, and <c>]}</c> (docs/design/output.md), keyed by
/// <see cref="Options.OutputOptions.KeyTemplate"/>.
/// </summary>
internal sealed class GzipJsonBatchFormat(KeyTemplate keyTemplate) : IBatchFormat
{
    public string Render(string prefix, PartitionKey partition, DateTimeOffset createdAt, string id) => keyTemplate.Render(prefix, partition, createdAt, id);

    public ValueTask OpenAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken) =>
        batch.Output.WriteAsync(GzipMembers.Header, cancellationToken);

    public async ValueTask AppendAsync(OpenBatch<PartitionKey> batch, OutputPiece piece, CancellationToken cancellationToken)
    {
        if (batch.Records > 0)
        {
            await batch.Output.WriteAsync(GzipMembers.Separator, cancellationToken).ConfigureAwait(false);
        }

        await batch.Output.WriteAsync(piece.Compressed, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask FinishAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken) =>
        batch.Output.WriteAsync(GzipMembers.Trailer, cancellationToken);
}
