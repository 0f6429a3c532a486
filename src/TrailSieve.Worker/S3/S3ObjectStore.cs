using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Worker.S3;

/// <summary>
/// An S3 prefix as an analytics <see cref="IObjectStore"/>: listing pages, downloads streamed to a file (never held in
/// memory), uploads from a file (multipart past 16 MiB through the transfer utility), batched deletes. Transient
/// failures are retried through the shared resilience pipeline.
/// </summary>
internal sealed class S3ObjectStore(IAmazonS3 s3, string bucket, string prefix, ResiliencePipeline resilience) : IObjectStore
{
    public string Root => $"s3://{bucket}/{prefix}";

    public bool IsLocal => false;

    public async IAsyncEnumerable<StoredObject> ListAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + keyPrefix };
        while (true)
        {
            var page = await resilience.ExecuteAsync(async ct => await s3.ListObjectsV2Async(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new StoredObject(item.Key[prefix.Length..], item.Size ?? 0);
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public string LocalPath(string key) => throw new NotSupportedException($"{Root}{key} is in S3; download it first");

    public Task DownloadAsync(string key, string localPath, CancellationToken cancellationToken) =>
        resilience.ExecuteAsync(
            async ct =>
            {
                using var response = await s3.GetObjectAsync(bucket, prefix + key, ct).ConfigureAwait(false);
                await using var file = File.Create(localPath);
                await response.ResponseStream.CopyToAsync(file, ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask();

    public Task UploadAsync(string localPath, string key, string contentType, CancellationToken cancellationToken) =>
        resilience.ExecuteAsync(
            async ct =>
            {
                using var transfer = new Amazon.S3.Transfer.TransferUtility(s3);
                await transfer.UploadAsync(
                    new Amazon.S3.Transfer.TransferUtilityUploadRequest
                    {
                        BucketName = bucket,
                        Key = prefix + key,
                        FilePath = localPath,
                        ContentType = contentType,
                        ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
                    },
                    ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask();

    public async Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var chunk in keys.Chunk(1000))
        {
            var request = new DeleteObjectsRequest { BucketName = bucket, Objects = [.. chunk.Select(k => new KeyVersion { Key = prefix + k })] };
            var response = await resilience.ExecuteAsync(async ct => await s3.DeleteObjectsAsync(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                throw new IOException($"{Root}: could not delete {errors.Count} objects, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
            }
        }
    }
}
