using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// <c>Output:Format</c> ocsf: a batch is one zstd Parquet file of OCSF events of one class, in Security Lake's
/// custom-source layout (<see cref="SecurityLakeLayout"/>). Parquet's footer describes every column chunk, so the file
/// is built in memory a row group at a time (<see cref="OcsfBatchFile"/>) and written to the output object whole in
/// <see cref="FinishAsync"/>; the object is then committed as any other, so a source object is reported done only
/// once the Parquet files holding its events are durable.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "A SemaphoreSlim holds nothing to dispose unless its AvailableWaitHandle is used, which it never is here; row groups still encoding after an abort release it later, so it must outlive the stage.")]
internal sealed class OcsfParquetBatchFormat(SecurityLakeLayout layout) : IBatchFormat
{
    /// <summary>Row groups being encoded at once, across every open batch.</summary>
    private readonly SemaphoreSlim _encoders = new(Environment.ProcessorCount);

    public string Render(string prefix, PartitionKey partition, DateTimeOffset createdAt, string id) => layout.Render(prefix, partition, createdAt, id);

    public ValueTask OpenAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken)
    {
        batch.Parquet = new OcsfBatchFile(_encoders);
        return ValueTask.CompletedTask;
    }

    public ValueTask AppendAsync(OpenBatch<PartitionKey> batch, OutputPiece piece, CancellationToken cancellationToken) =>
        (batch.Parquet ?? throw new InvalidOperationException($"batch {batch.Output.Key} was not opened as an OCSF batch")).AddAsync(piece, cancellationToken);

    public async ValueTask FinishAsync(OpenBatch<PartitionKey> batch, CancellationToken cancellationToken)
    {
        using var file = batch.Parquet ?? throw new InvalidOperationException($"batch {batch.Output.Key} was not opened as an OCSF batch");
        var bytes = await file.FinishAsync(cancellationToken).ConfigureAwait(false);
        await batch.Output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        batch.Parquet = null;
    }
}
