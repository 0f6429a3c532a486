using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.S3;

/// <summary>
/// S3 refused a request on a bucket with 403: the task lacks the permission, or (with <c>Sqs:ExpectedBucketOwner</c>
/// set) another account owns the bucket. The message names the bucket, the object and the owner expected. Not
/// retryable: waiting grants no permission and changes no owner.
/// </summary>
public sealed class BucketAccessDeniedException : Exception, IRetryClassified
{
    public BucketAccessDeniedException()
    {
    }

    public BucketAccessDeniedException(string message)
        : base(message)
    {
    }

    public BucketAccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    bool IRetryClassified.IsRetryable => false;

    /// <summary>The exception for a 403 on <paramref name="uri"/> in <paramref name="bucket"/>, naming the owner check when one was sent.</summary>
    internal static BucketAccessDeniedException For(string uri, string bucket, string? expectedOwner, string action, Exception refused) =>
        new(
            string.IsNullOrEmpty(expectedOwner)
                ? $"{uri}: {action} refused (403) on bucket {bucket}: {Aws.AwsErrors.Explain(refused)}"
                : $"{uri}: {action} refused (403) on bucket {bucket}: the task lacks the permission, or the bucket is not owned by account {expectedOwner} (Sqs:ExpectedBucketOwner): {Aws.AwsErrors.Explain(refused)}",
            refused);
}
