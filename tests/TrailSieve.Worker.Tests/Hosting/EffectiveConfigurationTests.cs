using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Hosting;

public sealed class EffectiveConfigurationTests
{
    [Fact]
    public void Describe_AllSections_ListsBoundValuesAsKeyValuePairs()
    {
        var sqs = new SqsOptions { QueueUrl = "https://sqs.eu-west-1.amazonaws.com/111122223333/trail", Receivers = 3 };
        var output = new OutputOptions { Bucket = "filtered", Mode = OutputMode.Mirror };

        var text = EffectiveConfiguration.Describe(sqs, new PipelineOptions(), output, new RulesOptions(), new HealthOptions());

        Assert.Contains("Sqs:QueueUrl=https://sqs.eu-west-1.amazonaws.com/111122223333/trail Sqs:Receivers=3 ", text, StringComparison.Ordinal);
        Assert.Contains(" Sqs:VisibilityTimeout=00:05:00 ", text, StringComparison.Ordinal);
        Assert.Contains(" Sqs:UntilIdle= ", text, StringComparison.Ordinal);
        Assert.Contains(" Output:Mode=Mirror ", text, StringComparison.Ordinal);
        Assert.Contains(" Output:Prefix=\"\" ", text, StringComparison.Ordinal);
        Assert.Contains(" Pipeline:CompressionLevel=Fastest ", text, StringComparison.Ordinal);
        Assert.Contains(" Pipeline:Compression=Auto ", text, StringComparison.Ordinal);
        Assert.Contains($" Pipeline:Codec={(Core.CloudTrail.Compression.GzipCodec.Isal is null ? "zlib" : "isal")} ", text, StringComparison.Ordinal);
        Assert.Contains(" Rules:Source=Local ", text, StringComparison.Ordinal);
        Assert.EndsWith("Health:HeartbeatFile=/tmp/trailsieve.heartbeat Health:MaxAge=00:01:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ListSettings_ShowTheirEntries()
    {
        var sqs = new SqsOptions { QueueUrl = "https://sqs.eu-west-1.amazonaws.com/111122223333/trail" };
        sqs.SourceBuckets.Add("trail-a");
        sqs.SourceBuckets.Add("trail-b");
        sqs.ExcludeKeys.Add("re:/CloudTrail-Insight/");

        var text = EffectiveConfiguration.Describe(sqs, new PipelineOptions(), new OutputOptions(), new RulesOptions(), new HealthOptions());

        Assert.Contains(" Sqs:SourceBuckets=[trail-a,trail-b] ", text, StringComparison.Ordinal);
        Assert.Contains(" Sqs:IncludeKeys=[] ", text, StringComparison.Ordinal);
        Assert.Contains(" Sqs:ExcludeKeys=[re:/CloudTrail-Insight/] ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_KmsKeyId_Redacted()
    {
        var output = new OutputOptions { Encryption = OutputEncryption.Kms, KmsKeyId = "arn:aws:kms:eu-west-1:111122223333:key/secret-key-id" };

        var text = EffectiveConfiguration.Describe(new SqsOptions(), new PipelineOptions(), output, new RulesOptions(), new HealthOptions());

        Assert.Contains(" Output:KmsKeyId=*** ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-id", text, StringComparison.Ordinal);
        Assert.Contains(" Output:Encryption=Kms ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Output:KmsKeyId", true)]
    [InlineData("Sqs:ClientSecret", true)]
    [InlineData("Db:Password", true)]
    [InlineData("Api:Token", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("AWS_SESSION_TOKEN", true)]
    [InlineData("Sqs:QueueUrl", false)]
    [InlineData("Rules:S3Key", false)]
    public void IsSecret_KeyNames(string key, bool secret) => Assert.Equal(secret, EffectiveConfiguration.IsSecret(key));
}
