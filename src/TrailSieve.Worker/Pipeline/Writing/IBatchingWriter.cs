namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>What the write stage asks of each batch writer (records, findings), whatever it keys its batches by.</summary>
internal interface IBatchingWriter
{
    /// <summary>Open batches.</summary>
    int Count { get; }

    /// <summary>How long until the oldest open batch is due; <see cref="TimeSpan.MaxValue"/> when none is open.</summary>
    TimeSpan NextDue();

    /// <summary>
    /// Commits the open batches that are full (<paramref name="due"/> false), full or due by age (true), or all of
    /// them (<paramref name="all"/>), and reports each object that no open batch holds any more.
    /// </summary>
    Task CommitAsync(bool due, bool all, OutcomeReporter reporter, CancellationToken cancellationToken);

    /// <summary>Aborts every open batch (the stage stopped early): nothing partial appears, nothing is reported.</summary>
    ValueTask AbortAllAsync();
}
