using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;
using TrailSieve.Worker.Ssm;

namespace TrailSieve.Worker.Rules;

/// <summary>The <see cref="IConfigTextReader"/> of the service and the commands: local files read here, S3 and SSM through their adapters.</summary>
internal sealed class ConfigTextReader(S3TextReader s3, SsmParameterReader ssm) : IConfigTextReader
{
    public async Task<string> ReadAsync(RulesOptions location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        switch (location.Source)
        {
            case RulesSource.S3:
                var (bucket, key) = location.S3Location();
                return await s3.ReadAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            case RulesSource.Ssm:
                return await ssm.ReadAsync(location.SsmParameter, cancellationToken).ConfigureAwait(false);
            default:
                return await File.ReadAllTextAsync(location.File, cancellationToken).ConfigureAwait(false);
        }
    }
}
