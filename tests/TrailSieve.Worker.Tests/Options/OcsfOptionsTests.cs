using Microsoft.Extensions.Configuration;
using TrailSieve.Core.Ocsf;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Options;

/// <summary>Output:Format and the OCSF options: bound, validated at start, applied by backfill, logged.</summary>
public sealed class OcsfOptionsTests
{
    [Fact]
    public void TryBind_OcsfSettings_AreBound()
    {
        // Given the OCSF settings as the environment or appsettings.json give them
        var problems = new List<ConfigurationProblem>();
        var configuration = Configuration(new()
        {
            ["Output:Format"] = "ocsf",
            ["Output:OcsfSourceName"] = "lake_src",
            ["Output:OcsfSourceVersion"] = "2",
            ["Output:OcsfRawData"] = "unmapped",
        });

        // When bound
        var output = SectionBinder.TryBind<OutputOptions>(configuration, OutputOptions.SectionName, problems)!;

        // Then
        Assert.Empty(problems);
        Assert.Equal((OutputFormat.Ocsf, "lake_src", "2", OcsfRawData.Unmapped), (output.Format, output.OcsfSourceName, output.OcsfSourceVersion, output.OcsfRawData));
    }

    [Fact]
    public void Defaults_AreCloudTrailOutputAndRawDataForOcsf()
    {
        var output = new OutputOptions();

        Assert.Equal((OutputFormat.CloudTrail, "trailsieve", string.Empty, OcsfRawData.RawData), (output.Format, output.OcsfSourceName, output.OcsfSourceVersion, output.OcsfRawData));
    }

    [Fact]
    public void TryBind_FormatNotKnown_ProblemNamesTheSettingAndTheValues()
    {
        var problems = new List<ConfigurationProblem>();

        _ = SectionBinder.TryBind<OutputOptions>(Configuration(new() { ["Output:Format"] = "avro" }), OutputOptions.SectionName, problems);

        Assert.Equal(new ConfigurationProblem("Output:Format", "'avro' is not supported", "cloudtrail, ocsf"), Assert.Single(problems));
    }

    [Theory]
    [InlineData("a-source-name-of-20")]
    [InlineData("with space")]
    [InlineData("")]
    public void Validate_SourceNameSecurityLakeCannotTake_FailsNamingTheSetting(string name)
    {
        var result = new OutputOptionsValidator().Validate(null, new OutputOptions { OcsfSourceName = name });

        Assert.True(result.Failed);
        Assert.Contains("Output:OcsfSourceName", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OcsfInMirrorMode_FailsSayingWhy()
    {
        var result = new ServiceOptionsRelations().Validate(null, new OutputOptions { Bucket = "b", Mode = OutputMode.Mirror, Format = OutputFormat.Ocsf });

        Assert.True(result.Failed);
        Assert.Contains("Output:Format: ocsf needs Output:Mode batch", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new ServiceOptionsRelations().Validate(null, new OutputOptions { Bucket = "b", Mode = OutputMode.Batch, Format = OutputFormat.Ocsf }).Succeeded);
    }

    [Fact]
    public void BackfillFrom_FormatOption_ReplacesTheConfiguredFormat()
    {
        var request = new BackfillRequest { Settings = new BackfillSettings { Bucket = "trail" }, Action = BackfillAction.DryRun, Format = OutputFormat.Ocsf };

        var configured = BackfillConfiguration.From(Configuration(new() { ["Output:OcsfSourceName"] = "mine" }), request);

        Assert.Equal((OutputFormat.Ocsf, "mine"), (configured.Output.Format, configured.Output.OcsfSourceName));
    }

    [Fact]
    public void BackfillFrom_OcsfInMirrorMode_ConfigurationErrorNamingTheSetting()
    {
        var request = new BackfillRequest { Settings = new BackfillSettings { Bucket = "trail" }, Action = BackfillAction.DryRun, Format = OutputFormat.Ocsf, Mode = OutputMode.Mirror };

        var error = Assert.Throws<ConfigurationException>(() => BackfillConfiguration.From(Configuration([]), request));

        Assert.Equal("Output:Format", Assert.Single(error.Problems).Setting);
    }

    [Fact]
    public void EffectiveConfiguration_ListsTheOcsfOptions()
    {
        var text = EffectiveConfiguration.Describe(new SqsOptions(), new PipelineOptions(), new OutputOptions { Format = OutputFormat.Ocsf }, new RulesOptions(), new HealthOptions());

        Assert.Contains(" Output:Format=Ocsf ", text, StringComparison.Ordinal);
        Assert.Contains(" Output:OcsfSourceName=trailsieve ", text, StringComparison.Ordinal);
        Assert.Contains(" Output:OcsfRawData=RawData ", text, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
