namespace TrailSieve.Core.Batching;

/// <summary>
/// When an open batch is committed: once its uncompressed bytes reach <see cref="MaxBytes"/>, or once it has been open
/// for <see cref="MaxAge"/>, whichever comes first. Pure and clock-driven, so the writer asks it and tests drive it
/// with a fake clock; the writer owns the batches, this only decides.
/// </summary>
public sealed class BatchPolicy
{
    private readonly TimeProvider _timeProvider;

    /// <param name="maxBytes">Uncompressed bytes at which a batch is full; at least 1.</param>
    /// <param name="maxAge">How long a batch may stay open; positive.</param>
    /// <param name="timeProvider">The clock ages are measured on.</param>
    public BatchPolicy(long maxBytes, TimeSpan maxAge, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        MaxBytes = maxBytes;
        MaxAge = maxAge;
        _timeProvider = timeProvider;
    }

    public long MaxBytes { get; }

    public TimeSpan MaxAge { get; }

    /// <summary>The timestamp to remember when a batch is opened (the clock's, not wall time).</summary>
    public long Opened() => _timeProvider.GetTimestamp();

    /// <summary>The batch reached its size.</summary>
    public bool IsFull(long rawBytes) => rawBytes >= MaxBytes;

    /// <summary>How long until a batch opened at <paramref name="openedTimestamp"/> is due; zero or less once it is.</summary>
    public TimeSpan DueIn(long openedTimestamp) => MaxAge - _timeProvider.GetElapsedTime(openedTimestamp);

    /// <summary>The batch has been open for its maximum age.</summary>
    public bool IsDue(long openedTimestamp) => DueIn(openedTimestamp) <= TimeSpan.Zero;
}
