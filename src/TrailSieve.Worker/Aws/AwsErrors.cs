using System.Net;
using Amazon.Runtime;
using Amazon.SQS.Model;

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

    /// <summary>Capped exponential backoff with full jitter, for loops that are not a Polly pipeline (the receivers).</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan max)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
    }
}
