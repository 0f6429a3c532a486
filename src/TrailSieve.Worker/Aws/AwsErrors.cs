using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS.Model;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Worker.Aws;

/// <summary>
/// The one place that classifies AWS failures: fatal for the service (the queue is missing or not ours), transient
/// (retried with capped exponential backoff and jitter), or final for the object or message at hand.
/// </summary>
internal static class AwsErrors
{
    private static readonly HashSet<string> s_transientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "RequestTimeout", "RequestTimeoutException",
        "InternalError", "InternalFailure", "ServiceUnavailable", "RequestLimitExceeded", "TooManyRequestsException",
        "KMS.ThrottlingException", "EC2ThrottledException",

        // The upload's checksum did not match what S3 received: the bytes changed on the way, and the next attempt resends them whole.
        "BadDigest",
    };

    private static readonly HashSet<string> s_accessCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException",
        "KMS.AccessDeniedException", "KMS.DisabledException", "KMS.NotFoundException", "KMS.InvalidStateException",
    };

    /// <summary>A queue error the service cannot recover from by waiting: it stops with a clear message.</summary>
    public static bool IsFatalQueueError(Exception exception) => exception switch
    {
        QueueDoesNotExistException => true,
        AmazonServiceException { ErrorCode: { } code } when code.Contains("NonExistentQueue", StringComparison.Ordinal) => true,
        _ => IsAccessDenied(exception),
    };

    /// <summary>Worth retrying: throttling, 5xx, timeouts, broken connections.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        AmazonServiceException { ErrorCode: { } code } when s_transientCodes.Contains(code) => true,
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests } => true,
        AmazonServiceException { ErrorCode: null, InnerException: { } inner } => IsTransient(inner),
        HttpRequestException or IOException or TimeoutException => true,
        AmazonClientException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>
    /// What an S3 failure that outlived the retries means for the analytics commands: one object gone since it was
    /// listed fails only the work that needed it; anything else (access or KMS denied, no such bucket, bad or missing
    /// credentials, still throttled or unreachable) means the store cannot be used.
    /// </summary>
    public static StoreFailure StoreFailureOf(Exception exception) =>
        IsMissingObject(exception) ? StoreFailure.ObjectMissing : StoreFailure.Unavailable;

    /// <summary>An exception from the SDK or its transport (the SDK lets a refused connection through as <see cref="HttpRequestException"/>).</summary>
    public static bool IsAwsFailure(Exception exception) =>
        exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException;

    /// <summary>
    /// Permission refused: an access error code or HTTP 403. Fatal wherever it appears, since waiting does not grant a
    /// permission; note that S3 also answers 403 for a missing key when the caller may not list the bucket.
    /// </summary>
    public static bool IsAccessDenied(Exception exception) => exception switch
    {
        AmazonServiceException { ErrorCode: { } code } when s_accessCodes.Contains(code) => true,
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } => true,
        _ => false,
    };

    /// <summary>The S3 object does not exist (NoSuchKey, or a 404 that is not a missing bucket).</summary>
    public static bool IsMissingObject(Exception exception) =>
        exception is AmazonS3Exception { ErrorCode: "NoSuchKey" } or AmazonS3Exception { StatusCode: HttpStatusCode.NotFound, ErrorCode: not "NoSuchBucket" };

    /// <summary>The S3 bucket named in the request does not exist (NoSuchBucket): waiting does not create it.</summary>
    public static bool IsMissingBucket(Exception exception) =>
        exception is AmazonS3Exception { ErrorCode: "NoSuchBucket" };

    /// <summary>
    /// One line saying why an AWS call failed for good, for a command that stops on it: refused, still failing
    /// after the retries, unreachable, or a client-side problem such as missing credentials.
    /// </summary>
    public static string Explain(Exception exception) => exception switch
    {
        AmazonServiceException e when IsAccessDenied(e) => $"access denied ({Code(e)}): {e.Message}",
        AmazonServiceException e when IsTransient(e) => $"still failing after retries ({Code(e)}): {e.Message}",
        AmazonServiceException e => $"{Code(e)}: {e.Message}",
        AmazonClientException e when IsTransient(e) => $"AWS cannot be reached (still failing after retries): {e.Message}{Inner(e)}",
        AmazonClientException e => $"AWS client error (credentials, region or endpoint): {e.Message}{Inner(e)}",
        HttpRequestException or TimeoutException => $"AWS cannot be reached (still failing after retries): {exception.Message}{Inner(exception)}",
        _ => exception.Message,
    };

    private static string Code(AmazonServiceException exception) =>
        exception.ErrorCode ?? ((int)exception.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Inner(Exception exception) =>
        exception.InnerException is { } inner && inner.Message != exception.Message ? $" ({inner.Message})" : string.Empty;
}
