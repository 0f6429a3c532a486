using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Rules;

/// <summary>Fetches the rules text from the configured source: a file, an S3 object or an SSM parameter.</summary>
internal sealed class RulesTextSource(RulesOptions options, Func<IAmazonS3> s3, Func<IAmazonSimpleSystemsManagement> ssm)
{
    /// <summary>Where the rules come from, for messages.</summary>
    public string Describe() => options.Source switch
    {
        RulesSource.S3 => $"s3://{options.S3Location().Bucket}/{options.S3Location().Key}",
        RulesSource.Ssm => $"ssm:{options.SsmParameter}",
        _ => options.File,
    };

    public async Task<string> LoadAsync(CancellationToken cancellationToken)
    {
        switch (options.Source)
        {
            case RulesSource.S3:
                var (bucket, key) = options.S3Location();
                using (var response = await s3().GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false))
                using (var reader = new StreamReader(response.ResponseStream))
                {
                    return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                }

            case RulesSource.Ssm:
                var parameter = await ssm().GetParameterAsync(new GetParameterRequest { Name = options.SsmParameter, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
                return parameter.Parameter.Value;

            default:
                return await File.ReadAllTextAsync(options.File, cancellationToken).ConfigureAwait(false);
        }
    }
}
