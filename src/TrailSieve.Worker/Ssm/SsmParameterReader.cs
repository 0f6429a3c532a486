using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Polly;

namespace TrailSieve.Worker.Ssm;

/// <summary>
/// The one SSM adapter: GetParameter with decryption (a SecureString reads as its plain text), through the shared
/// retry pipeline. The client is made on first use, so only a configuration that names a parameter needs SSM.
/// </summary>
internal sealed class SsmParameterReader(Func<IAmazonSimpleSystemsManagement> ssm, ResiliencePipeline resilience)
{
    public async Task<string> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var response = await resilience.ExecuteAsync(
            async ct => await ssm().GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return response.Parameter.Value;
    }
}
