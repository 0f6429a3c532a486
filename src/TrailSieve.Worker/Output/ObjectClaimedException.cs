namespace TrailSieve.Worker.Output;

/// <summary>
/// An object (or a batch) may not be written now, and is worth retrying later: another live worker holds the object's
/// delivery-ledger claim, this worker lost a race for it, or a batch waited past half the claim lease (its claims may
/// have been taken over). The object fails with this error, so its message is released and comes back; nothing is lost.
/// Retryable (<see cref="Pipeline.IRetryClassified"/>), and an <see cref="IOException"/>.
/// </summary>
public sealed class ObjectClaimedException : IOException, Pipeline.IRetryClassified, Pipeline.IRetryAfter
{
    public ObjectClaimedException()
    {
    }

    public ObjectClaimedException(string message)
        : base(message)
    {
    }

    public ObjectClaimedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long until the claim that holds the object off has run out (zero: unknown, retry by the backoff).</summary>
    public TimeSpan RetryAfter { get; init; }

    bool Pipeline.IRetryClassified.IsRetryable => true;
}
