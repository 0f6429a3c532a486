using Amazon.Runtime;
using Amazon.S3;
using TrailSieve.Analytics.Storage;
using TrailSieve.Worker.Aws;

namespace TrailSieve.Worker.S3;

/// <summary>
/// Opens the locations an analytics command is given, folders and <c>s3://bucket/prefix</c>, as
/// <see cref="IObjectStore"/>s: a <see cref="LocalObjectStore"/> or an <see cref="S3ObjectStore"/>. The S3 client
/// is made for the first S3 location, so only once the command line has been checked; without a region (or an
/// endpoint) that fails with a <see cref="StoreException"/> saying what to set, as backfill does. Objects written to S3
/// get <paramref name="encryption"/>; every S3 request carries <paramref name="expectedBucketOwner"/> when set.
/// </summary>
internal sealed class ObjectStoreOpener(S3Encryption encryption, Func<IAmazonS3>? createS3 = null, string? expectedBucketOwner = null) : IDisposable
{
    private IAmazonS3? _s3;

    /// <exception cref="StoreException">The S3 client cannot be made.</exception>
    public IObjectStore Open(string location)
    {
        if (!StoreLocation.TryParseS3(location, out var bucket, out var prefix))
        {
            return new LocalObjectStore(location);
        }

        try
        {
            _s3 ??= (createS3 ?? new AwsClientFactory().CreateS3)();
        }
        catch (AmazonClientException ex)
        {
            throw new StoreException($"{location}: cannot create the S3 client (set AWS_REGION, or AWS_ENDPOINT_URL for an emulator): {ex.Message}", StoreFailure.Unavailable, ex);
        }

        return new S3ObjectStore(_s3, bucket, prefix, AwsResilience.Create(TimeProvider.System), encryption, expectedBucketOwner);
    }

    public void Dispose() => _s3?.Dispose();
}
