using System.Text.Json;

namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>
/// The SQS message body S3 sends for an ObjectCreated event (event structure version 2.1), for endpoints that do not
/// deliver bucket notifications themselves (fauxqs): tests enqueue it after PutObject, as S3 would.
/// </summary>
public static class S3EventMessages
{
    public static string ObjectCreated(string bucket, string key, long size, string region = "us-east-1", string eventName = "ObjectCreated:Put") =>
        JsonSerializer.Serialize(new
        {
            Records = new[]
            {
                new
                {
                    eventVersion = "2.1",
                    eventSource = "aws:s3",
                    awsRegion = region,
                    eventTime = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    eventName,
                    userIdentity = new { principalId = "AWS:AIDAEXAMPLE" },
                    requestParameters = new { sourceIPAddress = "127.0.0.1" },
                    responseElements = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["x-amz-request-id"] = "EXAMPLE123456789",
                        ["x-amz-id-2"] = "EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH",
                    },
                    s3 = new
                    {
                        s3SchemaVersion = "1.0",
                        configurationId = "trailsieve-tests",
                        bucket = new { name = bucket, ownerIdentity = new { principalId = "EXAMPLE" }, arn = "arn:aws:s3:::" + bucket },
                        @object = new { key = EncodeKey(key), size, eTag = "0123456789abcdef0123456789abcdef", sequencer = "0A1B2C3D4E5F678901" },
                    },
                },
            },
        });

    /// <summary>S3 writes the key form-URL-encoded (space as '+'), with '/' left as is.</summary>
    public static string EncodeKey(string key) => System.Net.WebUtility.UrlEncode(key).Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
