namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// An object failure that knows whether trying the object again can succeed. Retryable (a body cut short): the
/// message is left to come back. Not retryable (a bucket outside <c>Sqs:SourceBuckets</c>, a bucket owned by another
/// account): trying again fails the same way, so the message may be released to the DLQ at once. A failure that does
/// not implement this is treated as retryable.
/// </summary>
internal interface IRetryClassified
{
    /// <summary>Whether a later attempt at the same object can succeed.</summary>
    bool IsRetryable { get; }
}
