using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.S3;

/// <summary>
/// The backfill checkpoint as an S3 object (PutObject replaces it whole, so a reader sees the old or the new document, never a mix). A missing
/// object is a fresh start; a refusal is fatal and names the bucket, the key and the permission. The PUT carries a CRC32
/// checksum S3 verifies; every request carries <paramref name="expectedBucketOwner"/> when set.
/// </summary>
/// <remarks>
/// S3 answers GetObject of a key that does not exist with 403 rather than 404 when the caller may not list the
/// bucket. So a 403 on load is followed by a listing of the key itself: if the key is not there, the checkpoint is
/// simply missing (a first run); if it is there, or the listing is refused too, the run stops.
/// </remarks>
internal sealed class S3CheckpointStore(IAmazonS3 s3, string bucket, string key, ResiliencePipeline resilience, string? expectedBucketOwner = null) : ICheckpointStore
{
    private readonly string? _owner = string.IsNullOrEmpty(expectedBucketOwner) ? null : expectedBucketOwner;

    public string Location => $"s3://{bucket}/{key}";

    /// <summary>Splits <c>s3://bucket/key</c>; false when <paramref name="uri"/> is not one.</summary>
    public static bool TryParse(string uri, out string bucket, out string key)
    {
        bucket = key = string.Empty;
        if (!uri.StartsWith("s3://", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = uri["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return false;
        }

        bucket = rest[..slash];
        key = rest[(slash + 1)..];
        return true;
    }

    /// <exception cref="BackfillException">The bucket does not exist, or reading the checkpoint is refused.</exception>
    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await resilience.ExecuteAsync(
                async ct => await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ExpectedBucketOwner = _owner }, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsMissingObject(ex))
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsAccessDenied(ex))
        {
            if (!await ExistsAsync(ex, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            throw new BackfillException($"checkpoint {Location}: reading it was refused, the task needs s3:GetObject on it ({AwsErrors.Explain(ex)})", ex);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsMissingBucket(ex))
        {
            throw new BackfillException($"checkpoint {Location}: the bucket {bucket} does not exist", ex);
        }
    }

    /// <exception cref="BackfillException">Writing the checkpoint is refused, or its bucket does not exist.</exception>
    public async Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken)
    {
        try
        {
            await resilience.ExecuteAsync(
                async ct =>
                {
                    using var body = new MemoryStream(document.ToArray(), writable: false);
                    await s3.PutObjectAsync(
                        new PutObjectRequest
                        {
                            BucketName = bucket,
                            Key = key,
                            InputStream = body,
                            ContentType = "application/json",
                            AutoCloseStream = false,
                            ChecksumAlgorithm = UploadChecksum.Algorithm,
                            ChecksumCRC32 = UploadChecksum.Crc32Of(document.Span),
                            ExpectedBucketOwner = _owner,
                        },
                        ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsAccessDenied(ex))
        {
            throw new BackfillException($"checkpoint {Location}: writing it was refused, the task needs s3:PutObject on it ({AwsErrors.Explain(ex)})", ex);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsMissingBucket(ex))
        {
            throw new BackfillException($"checkpoint {Location}: the bucket {bucket} does not exist", ex);
        }
    }

    /// <summary>Whether the key exists, by listing exactly it: what a 403 on GetObject leaves open.</summary>
    private async Task<bool> ExistsAsync(AmazonS3Exception refused, CancellationToken cancellationToken)
    {
        try
        {
            var page = await resilience.ExecuteAsync(
                async ct => await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = key, MaxKeys = 1, ExpectedBucketOwner = _owner }, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return page.S3Objects?.Exists(o => o.Key == key) == true;
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsAccessDenied(ex))
        {
            throw new BackfillException(
                $"checkpoint {Location}: reading it was refused ({AwsErrors.Explain(refused)}); the task needs s3:GetObject on it, "
                + $"and s3:ListBucket on {bucket} for the prefix {key} so that a checkpoint not written yet reads as missing",
                refused);
        }
    }
}
