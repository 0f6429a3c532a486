using System.Diagnostics;
using TrailSieve.Core.Batching;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>
/// What the two batch writers share: open batches by key, committed when their <see cref="BatchPolicy"/> says so (or
/// on request, or at the end), one upload span linking the objects held, and aborting whatever is still open when
/// the stage stops early. <see cref="BatchWriter"/> writes CloudTrail documents, <see cref="FindingsWriter"/> findings.
/// </summary>
internal abstract class BatchingWriter<TKey>(IObjectSink sink, BatchPolicy policy) : IBatchingWriter
    where TKey : notnull
{
    /// <summary>
    /// Uploads in progress at once (the write stage's <see cref="CommitsInFlight"/> for batches). Each open batch
    /// already holds its bytes, so this bounds requests in flight, not memory.
    /// </summary>
    internal const int MaxConcurrentCommits = 32;

    private readonly Dictionary<TKey, OpenBatch<TKey>> _open = [];

    public IObjectSink Sink { get; } = sink;

    public BatchPolicy Policy { get; } = policy;

    public int Count => _open.Count;

    /// <summary>What a failed commit says it was writing ("output", "findings").</summary>
    protected abstract string Noun { get; }

    /// <summary>How long until the oldest open batch is due; <see cref="TimeSpan.MaxValue"/> when none is open.</summary>
    public TimeSpan NextDue()
    {
        var due = TimeSpan.MaxValue;
        foreach (var batch in _open.Values)
        {
            var left = Policy.DueIn(batch.OpenedTimestamp);
            due = left < due ? left : due;
        }

        return due;
    }

    public async Task CommitAsync(bool due, bool all, CommitsInFlight commits, OutcomeReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commits);
        ArgumentNullException.ThrowIfNull(reporter);
        if (_open.Count == 0)
        {
            return;
        }

        var batches = _open.Values.Where(b => all || Policy.IsFull(b.RawBytes) || (due && Policy.IsDue(b.OpenedTimestamp))).ToList();
        foreach (var batch in batches)
        {
            _open.Remove(batch.Key);
        }

        // Uploads run side by side and off the writer's loop (a drain with hundreds of open partitions must fit in the
        // drain timeout, and a full batch's upload must not stop the writer); the writer settles each when it is done,
        // reporting the objects no other output holds, since objects' progress is its single-threaded state. Each
        // object the batch holds already counts it in its OpenBatches (OpenBatch.Hold).
        foreach (var batch in batches)
        {
            await commits.StartAsync(() => CommitOneAsync(batch, cancellationToken), batch.Objects, reporter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits <paramref name="batch"/> (already taken out of the open set); returns null once it is durable, or why it is not (wrapped to
    /// name the output), in which case no object it holds may be reported done.
    /// </summary>
    private async Task<Exception?> CommitOneAsync(OpenBatch<TKey> batch, CancellationToken cancellationToken)
    {
        try
        {
            await BeforeCommitAsync(batch, cancellationToken).ConfigureAwait(false);
            var links = batch.Objects.Where(o => o.Object.Activity is not null).Select(o => new ActivityLink(o.Object.Activity!.Context));
            using var upload = TrailSieveActivity.Source.StartActivity("batch upload", ActivityKind.Client, parentContext: default, links: links);
            upload?.SetTag("trailsieve.output", Sink.Describe(batch.Output.Key));
            upload?.SetTag("trailsieve.records", batch.Records);
            await batch.Output.CommitAsync(cancellationToken).ConfigureAwait(false);
            OnCommitted(batch);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new OutputCommitException($"writing {Noun} {Sink.Describe(batch.Output.Key)} failed: {ex.Message}", ex);
        }
        finally
        {
            await batch.Output.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Aborts every open batch (the stage stopped early): nothing partial appears, nothing is reported.</summary>
    public async ValueTask AbortAllAsync()
    {
        foreach (var batch in _open.Values)
        {
            await batch.Output.DisposeAsync().ConfigureAwait(false);
        }

        _open.Clear();
    }

    /// <summary>The open batch of <paramref name="key"/>, opened (and started) if there is none.</summary>
    protected async ValueTask<(OpenBatch<TKey> Batch, bool Opened)> BatchForAsync(TKey key, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue(key, out var batch))
        {
            return (batch, false);
        }

        var output = await Sink.CreateAsync(NewKey(key), cancellationToken).ConfigureAwait(false);
        batch = new OpenBatch<TKey>(key, output, Policy.Opened());
        _open.Add(key, batch);
        return (batch, true);
    }

    /// <summary>The open batch of <paramref name="key"/>, or null when none is open (nothing is opened).</summary>
    protected OpenBatch<TKey>? OpenBatchOf(TKey key) => _open.GetValueOrDefault(key);

    /// <summary>The output key of a new batch of <paramref name="key"/>.</summary>
    protected abstract string NewKey(TKey key);

    /// <summary>
    /// Whatever the format needs written last (a document's closing bytes). Runs for several batches at once (the
    /// commits overlap), as does <see cref="OnCommitted"/>: state shared across batches must be safe for that.
    /// </summary>
    protected virtual ValueTask BeforeCommitAsync(OpenBatch<TKey> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Counts and logs a durable batch.</summary>
    protected abstract void OnCommitted(OpenBatch<TKey> batch);
}
