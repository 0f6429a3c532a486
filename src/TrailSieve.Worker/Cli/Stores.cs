using Amazon.Runtime;
using Amazon.S3;
using TrailSieve.Analytics.Storage;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// Opens folders and <c>s3://bucket/prefix</c> locations as <see cref="IObjectStore"/>s for one command. The S3 client
/// is made for the first S3 location, so only once the command line has been checked; without a region (or an
/// endpoint) that fails with a <see cref="StoreException"/> saying what to set, as backfill does. Objects written to S3
/// get the configured output encryption (<c>Output:Encryption</c>, <c>Output:KmsKeyId</c>).
/// </summary>
internal sealed class Stores(S3Encryption encryption, Func<IAmazonS3>? createS3 = null) : IDisposable
{
    private IAmazonS3? _s3;

    /// <summary>Stores whose encryption is the configured output's, overridden by the command line's when given.</summary>
    public static Stores Configured(OutputEncryption? mode, string? kmsKeyId)
    {
        var output = WorkerConfiguration.Build().Section<OutputOptions>(OutputOptions.SectionName);
        return new Stores(new S3Encryption(mode ?? output.Encryption, kmsKeyId ?? output.KmsKeyId));
    }

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

        return new S3ObjectStore(_s3, bucket, prefix, AwsResilience.Create(TimeProvider.System), encryption);
    }

    public void Dispose() => _s3?.Dispose();
}
