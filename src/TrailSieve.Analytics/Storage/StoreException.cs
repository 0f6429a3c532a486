namespace TrailSieve.Analytics.Storage;

/// <summary>
/// A store request failed for good. The message names the store address (<c>s3://bucket/key</c>) and the reason; the
/// S3 store classifies the SDK's failure into <see cref="Failure"/> with the worker's one classifier, so the analytics
/// commands decide what to do without seeing the SDK.
/// </summary>
public sealed class StoreException : Exception
{
    public StoreException()
    {
    }

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreException(string message, StoreFailure failure, Exception? innerException)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public StoreFailure Failure { get; } = StoreFailure.Unavailable;
}
