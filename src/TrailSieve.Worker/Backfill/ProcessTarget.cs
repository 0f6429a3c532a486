using System.Threading.Channels;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Feeds listed objects into the same <see cref="FilterPipeline"/> the service runs, reading them straight from S3;
/// each object's outcome (reported by the writer once its output is durable) goes to the partition tracker.
/// </summary>
internal sealed class ProcessTarget : IBackfillTarget, IDisposable
{
    private readonly Channel<ObjectWork> _objects;
    private readonly Func<ObjectRef, IObjectObserver, ObjectWork> _createWork;
    private readonly PartitionTracker _tracker;
    private readonly CancellationTokenSource _ended = new();
    private readonly Task _run;

    public ProcessTarget(FilterPipeline pipeline, Func<ObjectRef, IObjectObserver, ObjectWork> createWork, PartitionTracker tracker, CancellationToken abort)
    {
        _createWork = createWork;
        _tracker = tracker;
        _objects = pipeline.CreateObjectChannel();
        _run = RunAsync(pipeline, abort);
    }

    public async ValueTask SubmitAsync(BackfillItem item, CancellationToken cancellationToken)
    {
        // A pipeline that has ended (faulted or aborted) takes no more; the submitter must not wait on it forever.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _ended.Token);
        try
        {
            await _objects.Writer.WriteAsync(_createWork(item.Object, new Observer(_tracker, item)), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await _run.ConfigureAwait(false);
            throw;
        }
    }

    public async Task CompleteAsync()
    {
        _objects.Writer.TryComplete();
        await _run.ConfigureAwait(false);
    }

    public void Dispose() => _ended.Dispose();

    private async Task RunAsync(FilterPipeline pipeline, CancellationToken abort)
    {
        await Task.Yield();
        try
        {
            await pipeline.RunAsync(_objects.Reader, abort).ConfigureAwait(false);
        }
        finally
        {
            await _ended.CancelAsync().ConfigureAwait(false);
        }
    }

    private sealed class Observer(PartitionTracker tracker, BackfillItem item) : IObjectObserver
    {
        public void OnCompleted(ObjectOutcome outcome)
        {
            var size = item.Object.Size ?? outcome.SourceBytes;
            if (outcome.Status == ObjectStatus.Failed)
            {
                tracker.Failed(item.Partition, outcome.Work.Name, item.Object.Key, size, $"{outcome.ErrorType}: {outcome.Error}");
            }
            else
            {
                tracker.Succeeded(item.Partition, item.Object.Key, size);
            }
        }
    }
}
