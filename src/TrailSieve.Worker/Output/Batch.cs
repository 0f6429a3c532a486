using TrailSieve.Core.Batching;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Output;

/// <summary>
/// An open batch-mode output object of one partition, or an open findings object of one day, and the input objects
/// whose records or findings it holds.
/// </summary>
internal sealed class Batch(PartitionKey partition, IOutputObject output, long createdTimestamp, bool isAlerts = false)
{
    /// <summary>A findings object (JSON Lines) rather than a CloudTrail document.</summary>
    public bool IsAlerts { get; } = isAlerts;

    public PartitionKey Partition { get; } = partition;

    public IOutputObject Output { get; } = output;

    public long CreatedTimestamp { get; } = createdTimestamp;

    public int Records { get; set; }

    public long RawBytes { get; set; }

    public HashSet<FileContext> Files { get; } = [];
}
