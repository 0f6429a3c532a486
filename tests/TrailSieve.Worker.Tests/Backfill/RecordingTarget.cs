using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Tests.Backfill;

/// <summary>A target that only notes the order objects arrive in and reports each done at once.</summary>
internal sealed class RecordingTarget(PartitionTracker tracker) : IBackfillTarget
{
    private readonly List<BackfillItem> _received = [];

    /// <summary>Awaited before each object is taken: to hold the work.</summary>
    public Func<BackfillItem, Task>? BeforeSubmit { get; set; }

    public IReadOnlyList<BackfillItem> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public async ValueTask SubmitAsync(BackfillItem item, CancellationToken cancellationToken)
    {
        if (BeforeSubmit is { } hold)
        {
            await hold(item);
        }

        lock (_received)
        {
            _received.Add(item);
        }

        tracker.Succeeded(item.Partition, item.Object.Key, item.Object.Size ?? 0);
    }

    public Task CompleteAsync() => Task.CompletedTask;
}
