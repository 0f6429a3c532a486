using TrailSieve.Core.Layout;
using TrailSieve.Core.Notifications;

namespace TrailSieve.Worker.Backfill;

/// <summary>One listed object on its way, with the partition it belongs to.</summary>
internal sealed record BackfillItem(TrailPartition Partition, ObjectRef Object);

/// <summary>Where listed objects go: the filter pipeline, or a queue for the service to take them.</summary>
internal interface IBackfillTarget
{
    /// <summary>Hands one object on; waits while the target is full (backpressure onto the listing).</summary>
    ValueTask SubmitAsync(BackfillItem item, CancellationToken cancellationToken);

    /// <summary>No more objects: finishes everything submitted (flushes batches, sends the last messages).</summary>
    Task CompleteAsync();
}
