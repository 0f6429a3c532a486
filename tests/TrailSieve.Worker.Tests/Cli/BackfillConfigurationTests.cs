using Microsoft.Extensions.Configuration;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Cli;

/// <summary>Backfill's key filter and expected bucket owner, read from the service's Sqs settings with the command line over them.</summary>
public sealed class BackfillConfigurationTests
{
    private static readonly BackfillRequest Request = new() { Settings = new BackfillSettings { Bucket = "trail" }, Action = BackfillAction.DryRun };

    [Fact]
    public void From_ServiceKeyFilterAndOwner_BackfillUsesThemWithoutTheQueueSettings()
    {
        // Given the service's guard settings, and no queue (backfill needs none) beside a queue setting it does not use
        var configuration = Configuration(new()
        {
            ["Sqs:IncludeKeys:0"] = "AWSLogs/",
            ["Sqs:ExcludeKeys:0"] = "re:/CloudTrail/ap-[a-z]+-\\d/",
            ["Sqs:ExpectedBucketOwner"] = "111122223333",
            ["Sqs:VisibilityTimeout"] = "later",
        });

        // When
        var guard = BackfillConfiguration.From(configuration, Request).Guard;

        // Then
        Assert.Equal("111122223333", guard.ExpectedBucketOwner);
        Assert.Null(guard.SkipReason("AWSLogs/1/CloudTrail/eu-west-1/2026/01/01/a.json.gz"));
        Assert.Equal("excluded by Sqs:ExcludeKeys 're:/CloudTrail/ap-[a-z]+-\\d/'", guard.SkipReason("AWSLogs/1/CloudTrail/ap-south-1/2026/01/01/a.json.gz"));
        Assert.Equal("matches no entry of Sqs:IncludeKeys", guard.SkipReason("other/a.json.gz"));
    }

    [Fact]
    public void From_PipelineCompression_BackfillReadsAndWritesWithIt()
    {
        var configured = BackfillConfiguration.From(Configuration(new() { ["Pipeline:Compression"] = "zlib" }), Request);

        Assert.Equal(Core.CloudTrail.Compression.GzipCodecChoice.Zlib, configured.Pipeline.Compression);
        Assert.Same(Core.CloudTrail.Compression.GzipCodec.Zlib, configured.Pipeline.ResolveCodec());
    }

    [Fact]
    public void From_PipelineCompressionNotACodec_ConfigurationError()
    {
        var error = Assert.Throws<ConfigurationException>(() => BackfillConfiguration.From(Configuration(new() { ["Pipeline:Compression"] = "brotli" }), Request));

        Assert.Equal(new ConfigurationProblem("Pipeline:Compression", "'brotli' is not supported", "auto, isal, zlib"), Assert.Single(error.Problems));
    }

    [Fact]
    public void From_CommandLineKeysAndOwner_ReplaceTheConfiguredOnes()
    {
        var configuration = Configuration(new() { ["Sqs:ExcludeKeys:0"] = "AWSLogs/a/", ["Sqs:ExpectedBucketOwner"] = "111122223333" });
        var request = Request with { ExcludeKeys = ["AWSLogs/b/"], ExpectedBucketOwner = "444455556666" };

        var guard = BackfillConfiguration.From(configuration, request).Guard;

        Assert.Null(guard.SkipReason("AWSLogs/a/x.json.gz"));
        Assert.NotNull(guard.SkipReason("AWSLogs/b/x.json.gz"));
        Assert.Equal("444455556666", guard.ExpectedBucketOwner);
        Assert.Equal("keys exclude [AWSLogs/b/]", guard.DescribeKeys());
    }

    [Fact]
    public void From_InvalidEntries_EveryOneReportedNamingItsSetting()
    {
        // Given a regex that does not compile, an empty entry and an owner that is not an account id
        var configuration = Configuration(new()
        {
            ["Sqs:IncludeKeys:0"] = "AWSLogs/",
            ["Sqs:IncludeKeys:1"] = "",
            ["Sqs:ExcludeKeys:0"] = "re:(",
            ["Sqs:ExpectedBucketOwner"] = "owner",
        });

        // When
        var error = Assert.Throws<ConfigurationException>(() => BackfillConfiguration.From(configuration, Request));

        // Then each is one problem in the start-up error format, and nothing else is
        using var stderr = new StringWriter();
        Assert.Equal(ExitCodes.UsageOrRules, ConfigurationErrors.Write(stderr, error.Problems));
        var lines = stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("trailsieve: configuration error: Sqs:IncludeKeys:1: an entry is empty", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("trailsieve: configuration error: Sqs:ExcludeKeys:0: 're:(' is not a usable regular expression", lines[1], StringComparison.Ordinal);
        Assert.Equal("trailsieve: configuration error: Sqs:ExpectedBucketOwner: 'owner' is not an AWS account id; accepted: 12 digits", lines[2]);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
