using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.S3;

/// <summary>
/// Backfill's listings as ListObjectsV2, paginated, each page through the retry pipeline; a refusal or a missing
/// bucket (<see cref="AwsErrors"/>) becomes a <see cref="BackfillException"/> naming the bucket and prefix. Every page
/// request carries <paramref name="expectedBucketOwner"/> when set.
/// </summary>
internal sealed class S3ObjectLister(IAmazonS3 s3, ResiliencePipeline resilience, string? expectedBucketOwner = null) : IObjectLister
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
            ExpectedBucketOwner = string.IsNullOrEmpty(expectedBucketOwner) ? null : expectedBucketOwner,
        };
        try
        {
            return await resilience.ExecuteAsync(async ct => await s3.ListObjectsV2Async(request, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsAccessDenied(ex) || AwsErrors.IsMissingBucket(ex))
        {
            throw new BackfillException($"cannot list s3://{bucket}/{prefix}: {AwsErrors.Explain(ex)}", ex);
        }
    }
}
