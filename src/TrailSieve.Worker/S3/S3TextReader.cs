using Amazon.S3;
using Amazon.S3.Model;
using Polly;

namespace TrailSieve.Worker.S3;

/// <summary>
/// Reads a small S3 object whole as UTF-8 text (a rules or detections file). The request and the read of its body
/// are one attempt of the shared retry pipeline, so a body cut off half way is fetched again. The client is made on
/// first use: a command that never reads from S3 needs no region. Every GET carries <paramref name="expectedBucketOwner"/>
/// (<c>Sqs:ExpectedBucketOwner</c>) when set.
/// </summary>
internal sealed class S3TextReader(Func<IAmazonS3> s3, ResiliencePipeline resilience, string? expectedBucketOwner = null)
{
    private readonly string? _owner = string.IsNullOrEmpty(expectedBucketOwner) ? null : expectedBucketOwner;

    public async Task<string> ReadAsync(string bucket, string key, CancellationToken cancellationToken) =>
        await resilience.ExecuteAsync(
            async ct =>
            {
                using var response = await s3().GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ExpectedBucketOwner = _owner }, ct).ConfigureAwait(false);
                using var reader = new StreamReader(response.ResponseStream);
                return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
}
