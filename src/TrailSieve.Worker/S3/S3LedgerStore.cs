using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.S3;

/// <summary>
/// The delivery ledger's markers in the output bucket: PutObject with <c>If-None-Match: *</c> to create, with
/// <c>If-Match</c> to take over, GetObject to read, HeadObject to see whether a batch is durable. S3 answers a failed
/// condition with 412 PreconditionFailed, or 409 ConditionalRequestConflict when a concurrent write to the key is in
/// progress: both mean another writer won, and neither is retried here (the ledger re-reads the marker).
/// Every request carries <paramref name="expectedBucketOwner"/> when set, and every PutObject a CRC32 S3 verifies.
/// </summary>
internal sealed class S3LedgerStore(
    IAmazonS3 s3, OutputOptions options, ResiliencePipeline resilience, TrailSieveMetrics metrics, TimeProvider timeProvider, string? expectedBucketOwner = null) : ILedgerStore
{
    public string Describe(string key) => $"s3://{options.Bucket}/{key}";

    public Task<string?> TryCreateAsync(string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PutAsync(key, body, r => r.IfNoneMatch = "*", cancellationToken);

    public Task<string?> TryReplaceAsync(string key, string etag, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PutAsync(key, body, r => r.IfMatch = etag, cancellationToken);

    public async Task<LedgerEntry?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            using var response = await resilience.ExecuteAsync(
                async ct => await s3.GetObjectAsync(new GetObjectRequest { BucketName = options.Bucket, Key = key, ExpectedBucketOwner = expectedBucketOwner }, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            using var body = new MemoryStream();
            await response.ResponseStream.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            metrics.S3Request("ledger-get", timeProvider.GetElapsedTime(started));
            var modified = response.LastModified is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc)) : timeProvider.GetUtcNow();
            return new LedgerEntry(body.ToArray(), response.ETag, modified);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsMissingObject(ex))
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            await resilience.ExecuteAsync(
                async ct => await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = options.Bucket, Key = key, ExpectedBucketOwner = expectedBucketOwner }, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            metrics.S3Request("ledger-head", timeProvider.GetElapsedTime(started));
            return true;
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsMissingObject(ex))
        {
            return false;
        }
    }

    private async Task<string?> PutAsync(string key, ReadOnlyMemory<byte> body, Action<PutObjectRequest> condition, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await resilience.ExecuteAsync(
                async ct =>
                {
                    var request = new PutObjectRequest
                    {
                        BucketName = options.Bucket,
                        Key = key,
                        InputStream = new MemoryStream(body.ToArray(), writable: false),
                        ContentType = "application/json",
                        ChecksumAlgorithm = UploadChecksum.Algorithm,
                        ChecksumCRC32 = UploadChecksum.Crc32Of(body.Span),
                        ExpectedBucketOwner = expectedBucketOwner,
                    };
                    condition(request);
                    S3Encryption.From(options).Apply(m => request.ServerSideEncryptionMethod = m, k => request.ServerSideEncryptionKeyManagementServiceKeyId = k);
                    return await s3.PutObjectAsync(request, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            metrics.S3Request("ledger-put", timeProvider.GetElapsedTime(started));
            return response.ETag;
        }
        catch (AmazonS3Exception ex) when (IsLostRace(ex))
        {
            return null;
        }
    }

    /// <summary>A conditional write that another writer won: 412 PreconditionFailed, or 409 ConditionalRequestConflict.</summary>
    internal static bool IsLostRace(AmazonS3Exception exception) =>
        exception.StatusCode is HttpStatusCode.PreconditionFailed || exception.ErrorCode is "PreconditionFailed" or "ConditionalRequestConflict";
}
