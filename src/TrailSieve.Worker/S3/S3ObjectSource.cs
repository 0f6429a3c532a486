using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.S3;

/// <summary>
/// Opens announced S3 objects as streams straight from GetObject (no temp file, no buffering of the whole object).
/// First the <paramref name="guard"/> decides without a request: a bucket outside the allow-list fails the object
/// (<see cref="SourceRejectedException"/>, not retryable), an excluded key is skipped. Transient failures of the request
/// are retried; an object deleted since it was announced is skipped (its message can be acknowledged); a 403 fails it
/// (<see cref="BucketAccessDeniedException"/>, not retryable); a body shorter than its Content-Length fails it
/// (<see cref="TruncatedBodyException"/>, retryable); anything else fails the object. Every GET carries the guard's
/// expected bucket owner.
/// </summary>
internal sealed class S3ObjectSource(IAmazonS3 s3, ResiliencePipeline resilience, TrailSieveMetrics metrics, TimeProvider timeProvider, SourceGuard? guard = null)
{
    private readonly SourceGuard _guard = guard ?? SourceGuard.None;

    /// <summary>The source object for <paramref name="reference"/>, carrying <paramref name="origin"/> to its outcome and continuing <paramref name="parent"/>'s trace.</summary>
    public SourceObject Create(ObjectRef reference, object? origin, System.Diagnostics.ActivityContext parent = default) => new()
    {
        Name = $"s3://{reference.Bucket}/{reference.Key}",
        Bucket = reference.Bucket,
        Key = reference.Key,
        OutputKey = reference.Key,
        OpenAsync = ct => OpenAsync(reference, ct),
        Origin = origin,
        ParentContext = parent,
    };

    private async Task<Stream> OpenAsync(ObjectRef reference, CancellationToken cancellationToken)
    {
        if (!_guard.AllowsBucket(reference.Bucket))
        {
            throw _guard.Rejection(reference.Bucket, reference.Key);
        }

        if (_guard.SkipReason(reference.Key) is { } reason)
        {
            throw new ObjectSkippedException(reason);
        }

        var name = $"s3://{reference.Bucket}/{reference.Key}";
        var request = new GetObjectRequest { BucketName = reference.Bucket, Key = reference.Key, ExpectedBucketOwner = _guard.ExpectedBucketOwner };
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await resilience.ExecuteAsync(
                async ct => await s3.GetObjectAsync(request, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            metrics.S3Request("get", timeProvider.GetElapsedTime(started));
            return new LengthCheckedStream(response.ResponseStream, response.ContentLength, name, response, response.ETag);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsMissingObject(ex))
        {
            throw new ObjectSkippedException("the object no longer exists (NoSuchKey): deleted since it was announced", ex);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsAccessDenied(ex))
        {
            throw BucketAccessDeniedException.For(name, reference.Bucket, _guard.ExpectedBucketOwner, "GetObject", ex);
        }
    }
}
