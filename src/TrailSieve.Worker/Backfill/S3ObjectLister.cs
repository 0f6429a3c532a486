using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;

namespace TrailSieve.Worker.Backfill;

/// <summary>ListObjectsV2, paginated, each page through the retry pipeline; access errors name the bucket and prefix.</summary>
internal sealed class S3ObjectLister(IAmazonS3 s3, ResiliencePipeline resilience) : IObjectLister
{
    public async IAsyncEnumerable<string> ListFoldersAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var page = await ListPageAsync(bucket, prefix, "/", continuation, cancellationToken).ConfigureAwait(false);
            foreach (var folder in page.CommonPrefixes ?? [])
            {
                yield return folder;
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    public async IAsyncEnumerable<ListedObject> ListObjectsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var page = await ListPageAsync(bucket, prefix, null, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new ListedObject(item.Key, item.Size ?? 0);
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    private async Task<ListObjectsV2Response> ListPageAsync(string bucket, string prefix, string? delimiter, string? continuation, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = bucket,
            Prefix = prefix,
            Delimiter = delimiter,
            ContinuationToken = continuation,
            MaxKeys = 1000,
        };
        try
        {
            return await resilience.ExecuteAsync(async ct => await s3.ListObjectsV2Async(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NoSuchBucket" or "AccessDenied" || ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            throw new BackfillException($"cannot list s3://{bucket}/{prefix}: {ex.ErrorCode ?? ex.StatusCode.ToString()}: {ex.Message}", ex);
        }
    }
}
