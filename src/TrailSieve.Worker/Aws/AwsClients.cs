using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;

namespace TrailSieve.Worker.Aws;

/// <summary>
/// The SDK clients of one command, each made by <see cref="AwsClientFactory"/> on first use and disposed with the
/// command if it was made at all: a command that never reaches SQS or SSM needs nothing for them, and making a client
/// without a region fails only once the command line is known to be usable.
/// </summary>
internal sealed class AwsClients(AwsClientFactory factory) : IDisposable
{
    private IAmazonS3? _s3;
    private IAmazonSQS? _sqs;
    private IAmazonSimpleSystemsManagement? _ssm;

    /// <exception cref="Amazon.Runtime.AmazonClientException">The client cannot be made (no region and no endpoint).</exception>
    public IAmazonS3 S3 => _s3 ??= factory.CreateS3();

    /// <exception cref="Amazon.Runtime.AmazonClientException">The client cannot be made (no region and no endpoint).</exception>
    public IAmazonSQS Sqs => _sqs ??= factory.CreateSqs();

    /// <exception cref="Amazon.Runtime.AmazonClientException">The client cannot be made (no region and no endpoint).</exception>
    public IAmazonSimpleSystemsManagement Ssm => _ssm ??= factory.CreateSsm();

    public void Dispose()
    {
        _s3?.Dispose();
        _sqs?.Dispose();
        _ssm?.Dispose();
    }
}
