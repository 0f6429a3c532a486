using Microsoft.Extensions.Configuration;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Options;

/// <summary>Binding a section reports every value it cannot use, naming the setting and what is accepted, and never throws.</summary>
public sealed class SectionBinderTests
{
    [Theory]
    [InlineData("Output:Mode", "foo", "'foo' is not supported", "mirror, batch")]
    [InlineData("Output:Encryption", "aws:kms", "'aws:kms' is not supported", "none, s3, kms")]
    [InlineData("Output:MaxAge", "5x", "'5x' is not a duration", "[d.]hh:mm:ss[.fff], e.g. 00:00:30 or 00:05:00")]
    [InlineData("Output:MaxBytes", "lots", "'lots' is not a valid whole number", null)]
    [InlineData("Output:WriteEmpty", "maybe", "'maybe' is not a valid boolean", "true, false")]
    [InlineData("Output:MaxBytes", "10", "10 is out of range", "1024 to 4294967296")]
    public void TryBind_UnusableValue_ProblemNamesTheSettingAndTheAcceptedValues(string key, string value, string problem, string? accepted)
    {
        var problems = new List<ConfigurationProblem>();

        _ = SectionBinder.TryBind<OutputOptions>(Configuration((key, value)), OutputOptions.SectionName, problems);

        Assert.Equal(new ConfigurationProblem(key, problem, accepted), Assert.Single(problems));
    }

    [Theory]
    [InlineData("Output:Mode", "foo")]
    [InlineData("Output:MaxAge", "5x")]
    [InlineData("Output:MaxBytes", "lots")]
    [InlineData("Output:WriteEmpty", "maybe")]
    [InlineData("Output:MaxBytes", "")]
    [InlineData("Output:Mode", "")]
    [InlineData("Output:Mode", "Mirror")]
    [InlineData("Output:Mode", "1")]
    [InlineData("Output:MaxAge", "00:00:30")]
    public void TryBind_AnyValue_ReportsAProblemExactlyWhenTheBinderWouldThrow(string key, string value)
    {
        // Given a value, and what the configuration binder makes of it
        var configuration = Configuration((key, value));
        var binderThrows = Throws(() => configuration.GetSection(OutputOptions.SectionName).Bind(new OutputOptions()));

        // When it is bound here
        var problems = new List<ConfigurationProblem>();
        var bound = SectionBinder.TryBind<OutputOptions>(configuration, OutputOptions.SectionName, problems);

        // Then it is a problem exactly when the binder would have thrown, and nothing is thrown
        Assert.Equal(binderThrows, problems.Count > 0);
        Assert.Equal(binderThrows, bound is null);
    }

    [Fact]
    public void TryBind_SeveralProblems_AllReported()
    {
        var problems = new List<ConfigurationProblem>();

        _ = SectionBinder.TryBind<SqsOptions>(Configuration(("Sqs:Receivers", "many"), ("Sqs:WaitTime", "soon"), ("Sqs:DrainTimeout", "x")), SqsOptions.SectionName, problems);

        Assert.Equal(["Sqs:Receivers", "Sqs:WaitTime", "Sqs:DrainTimeout"], problems.Select(p => p.Setting));
    }

    [Fact]
    public void TryBind_MissingRequired_SaysRequired()
    {
        var problems = new List<ConfigurationProblem>();

        _ = SectionBinder.TryBind<SqsOptions>(Configuration(), SqsOptions.SectionName, problems);

        Assert.Equal(new ConfigurationProblem("Sqs:QueueUrl", "is required"), Assert.Single(problems));
    }

    [Theory]
    [InlineData("Sqs:QueueUrl: is required", "Sqs:QueueUrl", "is required", null)]
    [InlineData("Rules:S3Path: is required when the rules source is s3; accepted: s3://bucket/key", "Rules:S3Path", "is required when the rules source is s3", "s3://bucket/key")]
    [InlineData("something went wrong: badly", "Rules", "something went wrong: badly", null)]
    public void Parse_ValidatorFailure_SettingProblemAndAccepted(string failure, string setting, string problem, string? accepted)
    {
        Assert.Equal(new ConfigurationProblem(setting, problem, accepted), ConfigurationProblem.Parse(failure, "Rules"));
    }

    [Fact]
    public void Write_Problems_OneLinePerProblemInTheToolsStyle()
    {
        using var error = new StringWriter();

        var code = ConfigurationErrors.Write(error, [new("Output:Mode", "'foo' is not supported", "mirror, batch"), new("Sqs:QueueUrl", "is required")]);

        Assert.Equal(2, code);
        Assert.Equal(
            ["trailsieve: configuration error: Output:Mode: 'foo' is not supported; accepted: mirror, batch", "trailsieve: configuration error: Sqs:QueueUrl: is required"],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
