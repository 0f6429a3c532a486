using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.S3;

/// <summary>
/// A notification named an object the configuration does not accept (a bucket outside <c>Sqs:SourceBuckets</c>).
/// Thrown by <see cref="SourceObject.OpenAsync"/> before anything is downloaded; not retryable, since the message
/// names the same bucket every time it comes back, so it belongs in the DLQ.
/// </summary>
public sealed class SourceRejectedException : Exception, IRetryClassified
{
    public SourceRejectedException()
    {
    }

    public SourceRejectedException(string message)
        : base(message)
    {
    }

    public SourceRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    bool IRetryClassified.IsRetryable => false;
}
