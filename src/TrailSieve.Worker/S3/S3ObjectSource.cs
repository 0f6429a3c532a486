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
/// Transient failures of the request are retried; an object deleted since it was announced is skipped (its message
/// can be acknowledged); anything else fails the object.
/// </summary>
internal sealed class S3ObjectSource(IAmazonS3 s3, ResiliencePipeline resilience, TrailSieveMetrics metrics, TimeProvider timeProvider)
{
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
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await resilience.ExecuteAsync(
                async ct => await s3.GetObjectAsync(new GetObjectRequest { BucketName = reference.Bucket, Key = reference.Key }, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            metrics.S3Request("get", timeProvider.GetElapsedTime(started));
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsMissingObject(ex))
        {
            throw new ObjectSkippedException("the object no longer exists (NoSuchKey): deleted since it was announced", ex);
        }
    }

    /// <summary>The response body, disposing the response with it.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream, IVersionedContent
    {
        public string? Version => response.ETag;

        private readonly Stream _body = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => _body.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _body.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _body.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _body.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
