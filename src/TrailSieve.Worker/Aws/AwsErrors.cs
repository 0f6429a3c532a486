using System.Net;
using Amazon.Runtime;
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
        AmazonServiceException { ErrorCode: { } code } when s_accessCodes.Contains(code) => true,
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } => true,
        _ => false,
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
    /// listed (<c>NoSuchKey</c>) fails only the work that needed it; anything else (access or KMS denied, no such
    /// bucket, bad or missing credentials, still throttled or unreachable) means the store cannot be used.
    /// </summary>
    public static StoreFailure StoreFailureOf(Exception exception) => exception switch
    {
        AmazonServiceException { ErrorCode: "NoSuchKey" } => StoreFailure.ObjectMissing,
        AmazonServiceException { ErrorCode: null or "", StatusCode: HttpStatusCode.NotFound } => StoreFailure.ObjectMissing,
        _ => StoreFailure.Unavailable,
    };

    /// <summary>An AWS failure for a message: the error code (or HTTP status) and the service's text, on one line.</summary>
    public static string Describe(Exception exception) => (exception switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } service => $"{code}: {service.Message}",
        AmazonServiceException service => $"HTTP {(int)service.StatusCode}: {service.Message}",
        _ => exception.Message,
    }).ReplaceLineEndings(" ");

    /// <summary>An exception from the SDK or its transport, as the analytics stores classify it.</summary>
    public static bool IsAwsFailure(Exception exception) =>
        exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException;

    /// <summary>Capped exponential backoff with full jitter, for loops that are not a Polly pipeline (the receivers).</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan max)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
    }
}
