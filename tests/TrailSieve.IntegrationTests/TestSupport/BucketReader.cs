using Amazon.S3;
using Amazon.S3.Model;

namespace TrailSieve.IntegrationTests.TestSupport;

public static class BucketReader
{
    /// <summary>The exactly-once delivery ledger's folder (Output:ExactlyOnce): its markers are not output.</summary>
    public const string LedgerFolder = "_ledger/";

    /// <summary>Every output object of a bucket, key to bytes; the delivery ledger's markers are left out.</summary>
    public static async Task<Dictionary<string, byte[]>> ReadAllAsync(IAmazonS3 s3, string bucket)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token });
            foreach (var entry in (page.S3Objects ?? []).Where(o => !o.Key.Contains(LedgerFolder, StringComparison.Ordinal)))
            {
                using var response = await s3.GetObjectAsync(bucket, entry.Key);
                using var bytes = new MemoryStream();
                await response.ResponseStream.CopyToAsync(bytes);
                result[entry.Key] = bytes.ToArray();
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return result;
    }
}
