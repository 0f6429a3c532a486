namespace TrailSieve.Worker.Pipeline.Writing;

/// <summary>What the write stage asks of each batch writer (records, findings), whatever it keys its batches by.</summary>
internal interface IBatchingWriter
{
    /// <summary>Open batches.</summary>
    int Count { get; }

    /// <summary>How long until the oldest open batch is due; <see cref="TimeSpan.MaxValue"/> when none is open.</summary>
    TimeSpan NextDue();

    /// <summary>
    /// Starts committing the open batches that are full (<paramref name="due"/> false), full or due by age (true), or
    /// all of them (<paramref name="all"/>), in <paramref name="commits"/>: settling each reports the objects that no
    /// output holds any more.
    /// </summary>
    Task CommitAsync(bool due, bool all, CommitsInFlight commits, OutcomeReporter reporter, CancellationToken cancellationToken);

    /// <summary>Aborts every open batch (the stage stopped early): nothing partial appears, nothing is reported.</summary>
    ValueTask AbortAllAsync();
}
