using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Hosting;

/// <summary>What <c>run</c> reports before it starts: every problem of every options class at once, each naming its setting.</summary>
public sealed class StartupCheckTests
{
    private static readonly string s_rules = Path.Combine(RepoPaths.Root, "rules", "default.yaml");

    [Fact]
    public void Service_ValidConfiguration_NoProblem()
    {
        Assert.Empty(Check(Valid()));
    }

    [Fact]
    public void Service_SeveralOptionsClassesInvalid_EveryProblemAtOnce()
    {
        // Given problems in four options classes (today the host stops at the first one)
        var settings = Valid();
        settings["Sqs:Receivers"] = "0";
        settings["Pipeline:ReadParallelism"] = "0";
        settings["Output:Bucket"] = string.Empty;
        settings["Health:MaxAge"] = "1x";

        // When the configuration is checked
        var problems = Check(settings);

        // Then each is one problem naming its setting
        Assert.Equal(["Sqs:Receivers", "Pipeline:ReadParallelism", "Output:Bucket", "Health:MaxAge"], problems.Select(p => p.Setting));
        Assert.Equal(new ConfigurationProblem("Sqs:Receivers", "0 is out of range", "1 to 20"), problems[0]);
    }

    [Fact]
    public void Service_OutputModeNotAMode_SaysWhatIsSupported()
    {
        var settings = Valid();
        settings["Output:Mode"] = "foo";

        Assert.Equal(new ConfigurationProblem("Output:Mode", "'foo' is not supported", "mirror, batch"), Assert.Single(Check(settings)));
    }

    [Fact]
    public void Service_CompressionNotACodec_SaysWhatIsSupported()
    {
        var settings = Valid();
        settings["Pipeline:Compression"] = "lz4";

        Assert.Equal(new ConfigurationProblem("Pipeline:Compression", "'lz4' is not supported", "auto, isal, zlib"), Assert.Single(Check(settings)));
    }

    [Theory]
    [InlineData("isal")]
    [InlineData("ISAL")]
    public void Service_CompressionIsal_AProblemExactlyWhenLibisalCannotLoad(string value)
    {
        // Given isal required (any case, as the binder reads enums)
        var settings = Valid();
        settings["Pipeline:Compression"] = value;

        // When the configuration is checked
        var problems = Check(settings);

        // Then it stands where ISA-L loads, and names the library and its package where it does not
        if (Core.CloudTrail.Compression.GzipCodec.IsalUnavailableReason is { } reason)
        {
            Assert.Equal(PipelineOptions.CompressionProblem(Core.CloudTrail.Compression.GzipCodecChoice.Isal, reason), Assert.Single(problems));
        }
        else
        {
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void Service_ConfigSourceSecretsManager_SaysWhatIsSupported()
    {
        // Given the Go Lambdas' CONFIG_SOURCE naming a source TrailSieve does not have
        var environment = new Dictionary<string, string?> { ["CONFIG_SOURCE"] = "secretsmanager", ["AWS_REGION"] = "eu-west-1" };

        var problems = Check(Valid(), environment);

        Assert.Equal(new ConfigurationProblem("Rules:Source", "'secretsmanager' is not supported", "local, s3, ssm"), Assert.Single(problems));
    }

    [Fact]
    public void Service_NoRegionAnywhere_NamesTheSettingsThatProvideOne()
    {
        var problems = Check(Valid(), new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://localhost:4566" });

        var problem = Assert.Single(problems);
        Assert.Equal("AWS_REGION", problem.Setting);
        Assert.Contains("AWS_DEFAULT_REGION", problem.Accepted, StringComparison.Ordinal);
        Assert.Contains("AWS_PROFILE", problem.Accepted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWS_REGION")]
    [InlineData("AWS_DEFAULT_REGION")]
    public void Service_RegionFromEitherVariable_NoProblem(string variable)
    {
        Assert.Empty(Check(Valid(), new Dictionary<string, string?> { [variable] = "eu-west-1" }));
    }

    [Fact]
    public void Service_RegionFromTheSdkChain_NoProblem()
    {
        using var host = ServiceHost.Build(Valid(), _ => null);

        Assert.Empty(StartupCheck.Service(host.Services.GetRequiredService<IConfiguration>(), _ => null, () => "eu-west-1"));
    }

    [Fact]
    public void Service_RulesFileMissing_NamesThePathAndTheSetting()
    {
        var settings = Valid();
        settings["Rules:File"] = "/nope.yaml";

        var problem = Assert.Single(Check(settings));

        Assert.Equal("Rules:File", problem.Setting);
        Assert.StartsWith("/nope.yaml does not exist", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_VisibilityBelowThresholdAndHeartbeatAboveIt_OneProblemEach()
    {
        var settings = Valid();
        settings["Sqs:VisibilityTimeout"] = "00:00:10";
        settings["Sqs:HeartbeatInterval"] = "00:02:00";

        Assert.Equal(["Sqs:HeartbeatInterval", "Sqs:ExtensionThreshold"], Check(settings).Select(p => p.Setting));
    }

    [Fact]
    public void Service_DurationNotADuration_NamedAndTheHostStillBuilds()
    {
        // Given a drain timeout the host itself reads for its shutdown timeout
        var settings = Valid();
        settings["Sqs:DrainTimeout"] = "5x";

        Assert.Equal(new ConfigurationProblem("Sqs:DrainTimeout", "'5x' is not a duration", "[d.]hh:mm:ss[.fff], e.g. 00:00:30 or 00:05:00"), Assert.Single(Check(settings)));
    }

    [Fact]
    public void ProblemsOf_AggregateOfValidationFailures_EveryFailure()
    {
        var aggregate = new AggregateException(
            new OptionsValidationException("", typeof(SqsOptions), ["Sqs:QueueUrl: is required"]),
            new OptionsValidationException("", typeof(OutputOptions), ["Output:Bucket: is required", "Output:KeyTemplate: needs {id}"]));

        var problems = StartupCheck.ProblemsOf(aggregate);

        Assert.Equal(["Sqs:QueueUrl", "Output:Bucket", "Output:KeyTemplate"], problems!.Select(p => p.Setting));
        Assert.Null(StartupCheck.ProblemsOf(new AggregateException(new InvalidOperationException("bug"))));
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Sqs:QueueUrl"] = "https://sqs.eu-west-1.amazonaws.com/111122223333/trail",
        ["Output:Bucket"] = "out",
        ["Rules:File"] = s_rules,
    };

    private static List<ConfigurationProblem> Check(Dictionary<string, string?> settings, Dictionary<string, string?>? environment = null)
    {
        environment ??= new Dictionary<string, string?> { ["AWS_REGION"] = "eu-west-1" };
        using var host = ServiceHost.Build(settings, name => environment.GetValueOrDefault(name));
        return [.. StartupCheck.Service(host.Services.GetRequiredService<IConfiguration>(), name => environment.GetValueOrDefault(name), () => null)];
    }
}
