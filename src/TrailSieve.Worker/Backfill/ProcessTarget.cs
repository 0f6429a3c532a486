using System.Threading.Channels;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Backfill;

/// <summary>
/// Feeds listed objects into the same stages the service runs (<see cref="LocalPipeline"/>), reading them straight
/// from S3; each object's outcome (sent by the writer once its output is durable) goes to the partition tracker.
/// </summary>
internal sealed class ProcessTarget : IBackfillTarget, IDisposable
{
    private readonly Channel<SourceObject> _objects;
    private readonly Func<ObjectRef, BackfillItem, SourceObject> _createSource;
    private readonly PartitionTracker _tracker;
    private readonly CancellationTokenSource _ended = new();
    private readonly Task _run;

    public ProcessTarget(LocalPipeline pipeline, Func<ObjectRef, BackfillItem, SourceObject> createSource, PartitionTracker tracker, CancellationToken abort)
    {
        _createSource = createSource;
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
            await _objects.Writer.WriteAsync(_createSource(item.Object, item), linked.Token).ConfigureAwait(false);
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

    private async Task RunAsync(LocalPipeline pipeline, CancellationToken abort)
    {
        await Task.Yield();
        try
        {
            await pipeline.RunAsync(_objects.Reader, Track, abort).ConfigureAwait(false);
        }
        finally
        {
            await _ended.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Each outcome, on the pipeline's one outcome consumer: the item it was listed as is done or failed.</summary>
    private void Track(ObjectOutcome outcome)
    {
        var item = (BackfillItem)outcome.Source.Origin!;
        var size = item.Object.Size ?? outcome.SourceBytes;
        if (outcome.Status == ObjectStatus.Failed)
        {
            _tracker.Failed(item.Partition, outcome.Source.Name, item.Object.Key, size, $"{outcome.ErrorType}: {outcome.Error}");
        }
        else
        {
            _tracker.Succeeded(item.Partition, item.Object.Key, size);
        }
    }
}
