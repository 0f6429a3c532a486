using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// <c>Output:Format</c> ocsf: a batch is one zstd Parquet file of OCSF events of one class, in Security Lake's
/// custom-source layout (<see cref="SecurityLakeLayout"/>). Parquet is written whole (its footer describes every
/// column chunk), so the batch holds its events until its commit, and <see cref="FinishAsync"/> writes the file; the
/// output object is then committed as any other, so an object is reported done only once its Parquet file is durable.
/// </summary>
internal sealed class OcsfParquetBatchFormat(SecurityLakeLayout layout) : IBatchFormat
{
    public string Render(string prefix, PartitionKey partition, DateTimeOffset createdAt, string id) => layout.Render(prefix, partition, createdAt, id);

    public ValueTask OpenAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken)
    {
        batch.Events = [];
        return ValueTask.CompletedTask;
    }

    public ValueTask AppendAsync(OpenBatch<PartitionKey> batch, OutputPiece piece, CancellationToken cancellationToken)
    {
        var events = piece.Events ?? throw new InvalidOperationException($"batch {batch.Output.Key}: a gzip piece cannot go into an OCSF Parquet object");
        batch.Events!.AddRange(events);
        return ValueTask.CompletedTask;
    }

    public async ValueTask FinishAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken)
    {
        var events = batch.Events ?? throw new InvalidOperationException($"batch {batch.Output.Key} was not opened as an OCSF batch");
        using var file = new MemoryStream();
        await OcsfParquet.WriteAsync(events, file, cancellationToken).ConfigureAwait(false);
        batch.Events = null;
        await batch.Output.WriteAsync(file.GetBuffer().AsMemory(0, (int)file.Length), cancellationToken).ConfigureAwait(false);
    }
}
