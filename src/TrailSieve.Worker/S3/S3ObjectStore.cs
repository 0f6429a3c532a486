using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Analytics.Storage;
using TrailSieve.Worker.Aws;

namespace TrailSieve.Worker.S3;

/// <summary>
/// An S3 prefix as an analytics <see cref="IObjectStore"/>: listing pages (whole, or one delimited level), downloads
/// streamed to a file (never held in memory), uploads from a file (multipart past 16 MiB through the transfer utility)
/// with the configured server-side encryption and a CRC32 checksum on every PUT and part, batched deletes. Transient failures are retried through the shared
/// resilience pipeline; what fails for good becomes a <see cref="StoreException"/> that names the bucket and key,
/// classified by <see cref="AwsErrors"/>.
/// </summary>
internal sealed class S3ObjectStore(IAmazonS3 s3, string bucket, string prefix, ResiliencePipeline resilience, S3Encryption encryption) : IObjectStore
{
    public string Root => $"s3://{bucket}/{prefix}";

    public bool IsLocal => false;

    public async IAsyncEnumerable<StoredObject> ListAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + keyPrefix };
        while (true)
        {
            var page = await ListPageAsync(request, cancellationToken).ConfigureAwait(false);
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

    public async Task<StoreLevel> ListLevelAsync(string keyPrefix, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + keyPrefix, Delimiter = "/" };
        var objects = new List<StoredObject>();
        var folders = new List<string>();
        while (true)
        {
            var page = await ListPageAsync(request, cancellationToken).ConfigureAwait(false);
            objects.AddRange((page.S3Objects ?? []).Select(o => new StoredObject(o.Key[prefix.Length..], o.Size ?? 0)));
            folders.AddRange((page.CommonPrefixes ?? []).Select(p => p[prefix.Length..]));
            if (page.IsTruncated != true)
            {
                return new StoreLevel(objects, folders);
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public string LocalPath(string key) => throw new NotSupportedException($"{Root}{key} is in S3; download it first");

    public Task DownloadAsync(string key, string localPath, CancellationToken cancellationToken) =>
        CallAsync(
            "read",
            key,
            async ct =>
            {
                using var response = await s3.GetObjectAsync(bucket, prefix + key, ct).ConfigureAwait(false);
                await using var file = File.Create(localPath);
                await response.ResponseStream.CopyToAsync(file, ct).ConfigureAwait(false);
            },
            cancellationToken);

    public Task UploadAsync(string localPath, string key, string contentType, CancellationToken cancellationToken) =>
        CallAsync(
            "write",
            key,
            async ct =>
            {
                using var transfer = new Amazon.S3.Transfer.TransferUtility(s3);
                var request = new Amazon.S3.Transfer.TransferUtilityUploadRequest
                {
                    BucketName = bucket,
                    Key = prefix + key,
                    FilePath = localPath,
                    ContentType = contentType,
                    ChecksumAlgorithm = UploadChecksum.Algorithm,
                };
                encryption.Apply(m => request.ServerSideEncryptionMethod = m, k => request.ServerSideEncryptionKeyManagementServiceKeyId = k, b => request.BucketKeyEnabled = b);
                await transfer.UploadAsync(request, ct).ConfigureAwait(false);
            },
            cancellationToken);

    public async Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var chunk in keys.Chunk(1000))
        {
            var request = new DeleteObjectsRequest { BucketName = bucket, Objects = [.. chunk.Select(k => new KeyVersion { Key = prefix + k })] };
            DeleteObjectsResponse? response = null;
            await CallAsync("delete", chunk[0], async ct => response = await s3.DeleteObjectsAsync(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (response?.DeleteErrors is { Count: > 0 } errors)
            {
                throw new StoreException(
                    $"{Root}: could not delete {errors.Count} objects, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}", StoreFailure.Unavailable, null);
            }
        }
    }

    private async Task<ListObjectsV2Response> ListPageAsync(ListObjectsV2Request request, CancellationToken cancellationToken)
    {
        ListObjectsV2Response? page = null;
        await CallAsync(
            "list",
            (request.Prefix ?? string.Empty)[prefix.Length..],
            async ct => page = await s3.ListObjectsV2Async(request, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return page!;
    }

    /// <summary>One request through the retry pipeline; an AWS failure that remains names the object and is classified.</summary>
    private async Task CallAsync(string action, string key, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await resilience.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AwsErrors.IsAwsFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new StoreException($"cannot {action} {Root}{key}: {AwsErrors.Explain(ex)}", AwsErrors.StoreFailureOf(ex), ex);
        }
    }
}
