using System.Threading.Channels;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Runs a stage's N consumer loops and completes the stage's output channel when all of them have ended, with the
/// exception that stopped them, so the next stage learns why (STYLE: a stage completes its writer in finally).
/// Cancellation is a stop, not a fault: the channel completes cleanly, so the next stage finishes what it already
/// has (the receivers stop this way on SIGTERM and the pipeline drains). Only whole objects are ever committed
/// downstream, so nothing partial can come of it.
/// </summary>
internal static class StageWorkers
{
    public static async Task RunAsync<T>(int count, Func<Task> loop, ChannelWriter<T> output)
    {
        Exception? failure = null;
        try
        {
            var workers = new Task[count];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = loop();
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex is OperationCanceledException ? null : ex;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    /// <summary>
    /// Lets the thread pool run <paramref name="loops"/> stage loops at once without waiting to grow. The readers and
    /// filter workers are loops that keep their thread for as long as their channels let them (gunzip, scan, rules,
    /// gzip: seconds of CPU at a time), and the pool starts with as many threads as cores. With K + P such loops on a
    /// 2-core pool, the writer's continuation (and any other stage's) waited in the pool's queue until some loop
    /// happened to block on a channel: the writer fell behind with its input full, the filter workers stopped on it,
    /// and a core stood idle. With a thread for each loop the kernel shares the cores between them instead, and a
    /// stage that wakes runs at once. Only raises the pool's minimum (never lowers what the host set).
    /// </summary>
    public static void ReserveThreads(int loops)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < loops)
        {
            ThreadPool.SetMinThreads(loops, completionPorts);
        }
    }

    /// <summary>
    /// Awaits a composed stage; if it faults, cancels <paramref name="stops"/> so that no other stage waits forever
    /// on a channel nobody drains, and rethrows.
    /// </summary>
    public static async Task CancelOnFaultAsync(Task stage, params CancellationTokenSource[] stops)
    {
        try
        {
            await stage.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var stop in stops)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
