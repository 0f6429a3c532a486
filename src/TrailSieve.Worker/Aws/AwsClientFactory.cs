using Amazon;
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
        var config = new AmazonS3Config { MaxErrorRetry = 0, Timeout = TimeSpan.FromMinutes(5) };
        if (Endpoint("S3") is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = Region;
        }
        else if (Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonS3Client(config);
    }

    public IAmazonSQS CreateSqs()
    {
        var config = new AmazonSQSConfig { MaxErrorRetry = 0 };
        if (Endpoint("SQS") is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Region;
        }
        else if (Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonSQSClient(config);
    }

    public IAmazonSimpleSystemsManagement CreateSsm()
    {
        var config = new AmazonSimpleSystemsManagementConfig();
        if (Endpoint("SSM") is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Region;
        }
        else if (Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonSimpleSystemsManagementClient(config);
    }

    private string? Region => NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION"));

    private string? Endpoint(string service) => NonEmpty(environment("AWS_ENDPOINT_URL_" + service)) ?? NonEmpty(environment("AWS_ENDPOINT_URL"));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
