using System.Text.Json;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary>A service that cannot start says so in its JSON log, which is all a crash-looping task leaves behind.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class StartupFailureLogTests(AwsEndpointFixture aws)
{
    private const string Prefix = "trailsieve: configuration error: ";
    [Fact]
    public async Task Run_InvalidConfiguration_Exits2AndLogsEachFailureAtCritical()
    {
        // Given JSON logs, as in the container, and no queue URL
        var rules = TrailData.WriteRules();
        try
        {
            var settings = new Dictionary<string, string?> { ["TRAILSIEVE_LOG_FORMAT"] = "json", ["Output:Bucket"] = "out", ["Rules:File"] = rules };

            // When the service starts
            using var cli = CliProcess.Start(aws, ["run"], settings);
            var code = await cli.WaitAsync(TimeSpan.FromSeconds(60));

            // Then it exits 2, names the setting on stderr, and logs each failure as a Critical JSON line (event 411)
            Assert.Equal(2, code);
            Assert.Contains("trailsieve: configuration error: Sqs:QueueUrl: is required", cli.Stderr);
            var lines = cli.Stdout.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            var critical = lines.Where(j => j.GetProperty("EventId").GetInt32() == 411).ToList();
            Assert.Equal(cli.Stderr.Count(l => l.StartsWith(Prefix, StringComparison.Ordinal)), critical.Count);
            Assert.All(critical, j => Assert.Equal("Critical", j.GetProperty("LogLevel").GetString()));
            Assert.Contains(critical, j => j.GetProperty("Message").GetString()!.Contains("QueueUrl", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Theory]
    [InlineData("Output__Mode", "foo", "trailsieve: configuration error: Output:Mode: 'foo' is not supported; accepted: mirror, batch")]
    [InlineData("CONFIG_SOURCE", "secretsmanager", "trailsieve: configuration error: Rules:Source: 'secretsmanager' is not supported; accepted: local, s3, ssm")]
    [InlineData("Sqs__VisibilityTimeout", "5x", "trailsieve: configuration error: Sqs:VisibilityTimeout: '5x' is not a duration; accepted: [d.]hh:mm:ss[.fff], e.g. 00:00:30 or 00:05:00")]
    [InlineData("Sqs__VisibilityTimeout", "00:00:10", "trailsieve: configuration error: Sqs:ExtensionThreshold: 00:01:30 must be less than Sqs:VisibilityTimeout (00:00:10)")]
    [InlineData("Rules__File", "/nope.yaml", "trailsieve: configuration error: Rules:File: /nope.yaml does not exist or is not a file (--rules, CONFIG_FILE)")]
    public async Task Run_UnusableSetting_Exits2WithOneLineAndNoStackTrace(string variable, string value, string line)
    {
        // Given an otherwise valid configuration with one unusable setting
        var rules = TrailData.WriteRules();
        try
        {
            var settings = Valid(rules);
            settings[variable] = value;

            // When the service starts
            using var cli = CliProcess.Start(aws, ["run"], settings);
            var code = await cli.WaitAsync(TimeSpan.FromSeconds(60));

            // Then it exits 2 with exactly that line, and no stack trace anywhere
            Assert.Equal(2, code);
            Assert.Equal([line], cli.Stderr.Where(l => l.Length > 0));
            AssertNoStackTrace(cli);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public async Task Run_SeveralOptionsClassesInvalidAndNoRegion_EveryProblemOnItsOwnLine()
    {
        // Given two invalid options classes, a missing bucket, and no region anywhere (an emulator endpoint is set)
        var rules = TrailData.WriteRules();
        try
        {
            var settings = Valid(rules);
            settings["Sqs__Receivers"] = "0";
            settings["Pipeline__ReadParallelism"] = "0";
            settings["Output__Bucket"] = string.Empty;
            settings["AWS_REGION"] = string.Empty;
            settings["AWS_DEFAULT_REGION"] = string.Empty;
            settings["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
            settings["AWS_EC2_METADATA_DISABLED"] = "true";

            // When the service starts
            using var cli = CliProcess.Start(aws, ["run"], settings);
            var code = await cli.WaitAsync(TimeSpan.FromSeconds(60));

            // Then every problem has its line, the host never started, and there is no stack trace
            Assert.Equal(2, code);
            Assert.Equal(
                [
                    Prefix + "Sqs:Receivers: 0 is out of range; accepted: 1 to 20",
                    Prefix + "Pipeline:ReadParallelism: 0 is out of range; accepted: 1 to 64",
                    Prefix + "Output:Bucket: is required (--output-bucket, CLOUDTRAIL_OUTPUT_BUCKET_NAME)",
                    Prefix + "AWS_REGION: no AWS region is configured (S3 and SQS need one, also with AWS_ENDPOINT_URL); accepted: a region name such as eu-west-1 in AWS_REGION or AWS_DEFAULT_REGION, or region in the AWS profile (AWS_PROFILE, ~/.aws/config)",
                ],
                cli.Stderr.Where(l => l.Length > 0));
            Assert.DoesNotContain(cli.Stdout, l => l.Contains("Application started", StringComparison.Ordinal));
            AssertNoStackTrace(cli);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public async Task Run_RulesObjectMissing_Exits2NamingTheSettingAndTheObject()
    {
        // Given rules configured in an S3 bucket that has no such object
        var bucket = await aws.CreateBucketAsync("ts-startup-rules");
        try
        {
            var settings = Valid(rules: null);
            settings["CONFIG_SOURCE"] = "s3";
            settings["CONFIG_S3_PATH"] = $"s3://{bucket}/rules/missing.yaml";

            // When the service starts
            using var cli = CliProcess.Start(aws, ["run"], settings);
            var code = await cli.WaitAsync(TimeSpan.FromSeconds(60));

            // Then the first load fails at once (NoSuchKey is not retried) with exit 2 and a line naming both
            Assert.Equal(2, code);
            var line = Assert.Single(cli.Stderr, l => l.Length > 0);
            Assert.StartsWith($"{Prefix}Rules:S3Path: s3://{bucket}/rules/missing.yaml cannot be read: NoSuchKey", line, StringComparison.Ordinal);
            AssertNoStackTrace(cli);
        }
        finally
        {
            await aws.DeleteBucketAsync(bucket);
        }
    }

    private Dictionary<string, string?> Valid(string? rules) => new()
    {
        ["Sqs__QueueUrl"] = aws.ServiceUrl.TrimEnd('/') + "/000000000000/ts-startup-never-used",
        ["Output__Bucket"] = "out",
        ["Rules__File"] = rules,
        ["Metrics__Enabled"] = "false",
    };

    private static void AssertNoStackTrace(CliProcess cli)
    {
        Assert.DoesNotContain(cli.Stderr.Concat(cli.Stdout), l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal));
    }
}
