namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// Commits the writer has started and not settled yet: each runs off the writer's loop (an fsync and rename, a PUT),
/// and holds the objects whose outcome waits on it, each counting it in its <see cref="ObjectProgress.OpenBatches"/>
/// (a batch from <see cref="OpenBatch{TKey}.Hold"/> on, a mirror output from its commit on). Awaiting each commit in the loop made the single writer stop taking chunks for every commit's latency,
/// so the filter workers, then the readers, stood still behind it with both cores idle. The writer settles finished
/// commits in its own loop (objects' progress is its single-threaded state): an object is reported only once every
/// output holding it is durable, as before. At most <c>limit</c> run at once: starting one more first settles one.
/// </summary>
internal sealed class CommitsInFlight(int limit)
{
    private readonly List<(Task<Exception?> Commit, IReadOnlyCollection<ObjectProgress> Objects)> _running = [];

    /// <summary>Commits started and not settled.</summary>
    public int Count => _running.Count;

    /// <summary>
    /// Starts <paramref name="commit"/> off the writer's loop (on the thread pool, so that whatever it does synchronously,
    /// an fsync or a checksum, does not run on the writer); <paramref name="objects"/> wait on it (each already counts
    /// it in its OpenBatches) until it is settled. The commit's result is null once it is durable, or why it is not.
    /// When <c>limit</c> commits are already running, first waits for one to finish and settles it.
    /// </summary>
    public async Task StartAsync(Func<Task<Exception?>> commit, IReadOnlyCollection<ObjectProgress> objects, OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(objects);
        while (_running.Count >= limit)
        {
            await Task.WhenAny(_running.Select(r => r.Commit)).WaitAsync(cancellationToken).ConfigureAwait(false);
            await SettleFinishedAsync(reporter, cancellationToken).ConfigureAwait(false);
        }

        _running.Add((Task.Run(commit, CancellationToken.None), objects));
    }

    /// <summary>Completes when any running commit finishes; never, when none runs.</summary>
    public Task AnyFinished() => _running.Count == 0 ? Task.Delay(Timeout.Infinite, CancellationToken.None) : Task.WhenAny(_running.Select(r => r.Commit));

    /// <summary>Settles every commit that has finished, in the order they were started: reports the objects they held.</summary>
    public async Task SettleFinishedAsync(OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        for (var i = 0; i < _running.Count;)
        {
            var (commit, objects) = _running[i];
            if (!commit.IsCompleted)
            {
                i++;
                continue;
            }

            _running.RemoveAt(i);
            await SettleAsync(await commit.ConfigureAwait(false), objects, reporter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for every running commit and settles it (the input is complete, or a drain was asked for).</summary>
    public async Task SettleAllAsync(OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        while (_running.Count > 0)
        {
            await Task.WhenAny(_running.Select(r => r.Commit)).WaitAsync(cancellationToken).ConfigureAwait(false);
            await SettleFinishedAsync(reporter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The stage stopped early: waits for the running commits to end (cancelled, mostly), whatever they end in, and
    /// reports nothing, so their inputs are processed again rather than acknowledged.
    /// </summary>
    public async ValueTask AbandonAllAsync()
    {
        // Cancelled, failed or durable, none is reported; and nothing thrown here may hide why the stage stopped.
        Task all = Task.WhenAll(_running.Select(r => r.Commit));
        await all.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _running.Clear();
    }

    /// <summary>
    /// The objects a commit held no longer wait on it: one whose records are in no durable output fails (and is retried
    /// where a queue redelivers it); one no other output holds is done.
    /// </summary>
    internal static async ValueTask SettleAsync(Exception? failure, IEnumerable<ObjectProgress> objects, OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        foreach (var obj in objects)
        {
            obj.OpenBatches--;
            if (failure is not null && obj.Error is null)
            {
                obj.Error = failure;
                await reporter.ReportAsync(obj, ObjectStatus.Failed, cancellationToken).ConfigureAwait(false);
            }
            else if (obj.OpenBatches == 0 && obj.Error is null)
            {
                // Skipped only when the delivery ledger found the object already delivered.
                await reporter.ReportAsync(obj, obj.End?.IsSkipped == true ? ObjectStatus.Skipped : ObjectStatus.Succeeded, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
