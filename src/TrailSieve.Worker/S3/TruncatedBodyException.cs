using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.S3;

/// <summary>
/// An S3 GET whose body ended before its Content-Length: the connection was cut, so the object was not read whole.
/// Retryable: the next attempt (the message coming back) reads it again.
/// </summary>
public sealed class TruncatedBodyException : IOException, IRetryClassified
{
    public TruncatedBodyException()
    {
    }

    public TruncatedBodyException(string message)
        : base(message)
    {
    }

    public TruncatedBodyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    bool IRetryClassified.IsRetryable => true;
}
