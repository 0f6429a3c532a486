using TrailSieve.Core.Batching;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Output;

/// <summary>An open batch-mode output object of one partition and the input objects whose records it holds.</summary>
internal sealed class Batch(PartitionKey partition, IOutputObject output, long createdTimestamp)
{
    public PartitionKey Partition { get; } = partition;

    public IOutputObject Output { get; } = output;

    public long CreatedTimestamp { get; } = createdTimestamp;

    public int Records { get; set; }

    public long RawBytes { get; set; }

    public HashSet<FileContext> Files { get; } = [];
}
