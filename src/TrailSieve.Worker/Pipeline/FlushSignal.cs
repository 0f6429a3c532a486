namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// "Commit every open batch now", owned by the composition: the service's in-flight registry raises it when its room
/// runs out (in batch mode a message stays in flight until its batch is committed, so waiting for size or age would
/// stall receiving), and the write stage waits on it next to its input and the oldest batch's age. Thread-safe.
/// </summary>
internal sealed class FlushSignal
{
    private TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a flush is requested.</summary>
    public Task Requested => Volatile.Read(ref _requested).Task;

    public void Request() => Volatile.Read(ref _requested).TrySetResult();

    /// <summary>True if a flush was requested since the last call; re-arms the signal.</summary>
    public bool TryTake()
    {
        var requested = Volatile.Read(ref _requested);
        if (!requested.Task.IsCompleted)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _requested, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), requested);
        return true;
    }
}
