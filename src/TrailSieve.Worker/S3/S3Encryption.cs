using Amazon.S3;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.S3;

/// <summary>
/// The server-side encryption of every object TrailSieve writes to S3, from the output options
/// (<c>Output:Encryption</c>, <c>Output:KmsKeyId</c>, <c>Output:BucketKey</c>): the sink's records and findings, and the
/// analytics commands' Parquet and reports, so a bucket whose policy demands SSE-KMS with a given key accepts them all.
/// </summary>
internal sealed record S3Encryption(OutputEncryption Mode, string KmsKeyId, bool BucketKey = false)
{
    public static S3Encryption From(OutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new S3Encryption(options.Encryption, options.KmsKeyId, options.BucketKey);
    }

    /// <summary>
    /// Sets the request's encryption method (and KMS key, when one is configured, and the bucket key, when asked for and
    /// <paramref name="setBucketKey"/> is given); nothing for <see cref="OutputEncryption.None"/>.
    /// </summary>
    public void Apply(Action<ServerSideEncryptionMethod> setMethod, Action<string> setKey, Action<bool>? setBucketKey = null)
    {
        ArgumentNullException.ThrowIfNull(setMethod);
        ArgumentNullException.ThrowIfNull(setKey);
        switch (Mode)
        {
            case OutputEncryption.S3:
                setMethod(ServerSideEncryptionMethod.AES256);
                break;
            case OutputEncryption.Kms:
                setMethod(ServerSideEncryptionMethod.AWSKMS);
                if (!string.IsNullOrEmpty(KmsKeyId))
                {
                    setKey(KmsKeyId);
                }

                if (BucketKey)
                {
                    setBucketKey?.Invoke(true);
                }

                break;
        }
    }
}
