using TrailSieve.Core.Batching;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// What a batch's object looks like (<c>Output:Format</c>): its key, and how pieces become its bytes.
/// <see cref="GzipJsonBatchFormat"/> streams gzip members into the output as they come; <see cref="OcsfParquetBatchFormat"/>
/// holds OCSF events and writes one Parquet file when the batch is committed. The <see cref="BatchWriter"/> (claims,
/// the batch window, commits and the ledger) is the same for both.
/// </summary>
internal interface IBatchFormat
{
    /// <summary>The key of a new batch of <paramref name="partition"/>.</summary>
    string Render(string prefix, PartitionKey partition, DateTimeOffset createdAt, string id);

    /// <summary>Whatever a new batch starts with.</summary>
    ValueTask OpenAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="piece"/> (already without duplicates); the caller counts its records.</summary>
    ValueTask AppendAsync(OpenBatch<PartitionKey> batch, OutputPiece piece, CancellationToken cancellationToken);

    /// <summary>Whatever is written last, before the batch's commit; runs off the writer's loop, for several batches at once.</summary>
    ValueTask FinishAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken);
}
