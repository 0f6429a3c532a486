using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;

namespace TrailSieve.Worker.Aws;

/// <summary>
/// Creates the SDK clients from the standard credential and region chain, honouring the standard endpoint variables
/// <c>AWS_ENDPOINT_URL</c>, <c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL_SQS</c> and <c>AWS_ENDPOINT_URL_SSM</c>.
/// A custom S3 endpoint implies path-style addressing, so LocalStack and emulators work with no code change.
/// </summary>
internal sealed class AwsClientFactory(Func<string, string?> environment)
{
    public AwsClientFactory()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    public IAmazonS3 CreateS3()
    {
        var config = Configure(new AmazonS3Config { MaxErrorRetry = 0, Timeout = TimeSpan.FromMinutes(5) }, "S3");
        config.ForcePathStyle = config.ServiceURL is not null;

        return Credentials is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    public IAmazonSQS CreateSqs()
    {
        var config = Configure(new AmazonSQSConfig { MaxErrorRetry = 0 }, "SQS");

        return Credentials is { } credentials ? new AmazonSQSClient(credentials, config) : new AmazonSQSClient(config);
    }

    public IAmazonSimpleSystemsManagement CreateSsm()
    {
        var config = Configure(new AmazonSimpleSystemsManagementConfig { MaxErrorRetry = 0 }, "SSM");

        return Credentials is { } credentials ? new AmazonSimpleSystemsManagementClient(credentials, config) : new AmazonSimpleSystemsManagementClient(config);
    }

    /// <summary>A custom endpoint (with the region only for signing), else the region's endpoint, else the SDK's chain.</summary>
    private T Configure<T>(T config, string service)
        where T : ClientConfig
    {
        if (Endpoint(service) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Region;
        }
        else if (Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    /// <summary>
    /// Keys given in this factory's environment; otherwise null and the SDK's default chain applies (environment,
    /// profile, ECS task role, instance profile). Reading them here keeps one environment for every setting.
    /// </summary>
    private AWSCredentials? Credentials =>
        NonEmpty(environment("AWS_ACCESS_KEY_ID")) is { } key && NonEmpty(environment("AWS_SECRET_ACCESS_KEY")) is { } secret
            ? NonEmpty(environment("AWS_SESSION_TOKEN")) is { } token ? new SessionAWSCredentials(key, secret, token) : new BasicAWSCredentials(key, secret)
            : null;

    private string? Region => NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION"));

    private string? Endpoint(string service) => NonEmpty(environment("AWS_ENDPOINT_URL_" + service)) ?? NonEmpty(environment("AWS_ENDPOINT_URL"));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
