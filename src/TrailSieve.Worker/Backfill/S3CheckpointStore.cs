using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;

namespace TrailSieve.Worker.Backfill;

/// <summary>An S3 object (PutObject replaces it whole, so a reader sees the old or the new document, never a mix).</summary>
internal sealed class S3CheckpointStore(IAmazonS3 s3, string bucket, string key, ResiliencePipeline resilience) : ICheckpointStore
{
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

    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await resilience.ExecuteAsync(
                async ct => await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchKey" || (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket"))
        {
            return null;
        }
    }

    public async Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken) =>
        await resilience.ExecuteAsync(
            async ct =>
            {
                using var body = new MemoryStream(document.ToArray(), writable: false);
                await s3.PutObjectAsync(
                    new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, ContentType = "application/json", AutoCloseStream = false },
                    ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
}
