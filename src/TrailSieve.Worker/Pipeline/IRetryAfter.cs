namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// A retryable failure that knows the earliest time a retry can succeed (a delivery-ledger claim held by another
/// worker until its lease ends): its message is released for at least that long, whatever the backoff says.
/// </summary>
internal interface IRetryAfter
{
    /// <summary>How long until a retry can succeed.</summary>
    TimeSpan RetryAfter { get; }
}
