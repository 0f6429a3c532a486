using TrailSieve.Analytics.Storage;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary>Opens a folder or an <c>s3://bucket/prefix</c> as an <see cref="IObjectStore"/>.</summary>
internal static class Stores
{
    public static IObjectStore Open(string location)
    {
        if (StoreLocation.TryParseS3(location, out var bucket, out var prefix))
        {
            return new S3ObjectStore(new AwsClientFactory().CreateS3(), bucket, prefix, AwsResilience.Create(TimeProvider.System));
        }

        return new LocalObjectStore(location);
    }
}
