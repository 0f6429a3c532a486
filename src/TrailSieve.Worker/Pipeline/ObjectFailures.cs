using TrailSieve.Core.CloudTrail;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Pipeline.Writing;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// The one place that decides whether an object's failure can go away by trying again. Not retryable: the object
/// itself is bad (corrupt gzip, not JSON, no <c>Records</c>: a <see cref="CloudTrailFormatException"/>), it is gone,
/// or reading it is refused; another receive would fail the same way, so its message is released at once and
/// reaches the DLQ after maxReceiveCount receives. Everything else is retryable: S3 5xx and throttling that outlived
/// the retries, timeouts, broken connections, and any failure to write the output (the input is fine; an output
/// bucket that refuses writes must not send good input to the DLQ within seconds). An exception that knows
/// (<see cref="IRetryClassified"/>: a bucket not allowed, a body cut short) says so itself.
/// </summary>
internal static class ObjectFailures
{
    public static bool IsRetryable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OutputCommitException => true,
            IRetryClassified classified => classified.IsRetryable,
            CloudTrailFormatException => false,
            _ when AwsErrors.IsAccessDenied(exception) || AwsErrors.IsMissingObject(exception) || AwsErrors.IsMissingBucket(exception) => false,
            _ => true,
        };
    }
}
