using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Options;

/// <summary>Heartbeat interval &lt; extension threshold &lt; visibility timeout, each violation named in one line.</summary>
public sealed class ServiceOptionsRelationsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        Assert.True(new ServiceOptionsRelations().Validate(null, new SqsOptions { QueueUrl = "https://sqs.eu-west-1.amazonaws.com/1/q" }).Succeeded);
    }

    [Theory]
    [InlineData(30, 20, 300, "Sqs:HeartbeatInterval: 00:00:30 must be less than Sqs:ExtensionThreshold (00:00:20)")]
    [InlineData(20, 20, 300, "Sqs:HeartbeatInterval: 00:00:20 must be less than Sqs:ExtensionThreshold (00:00:20)")]
    [InlineData(30, 90, 60, "Sqs:ExtensionThreshold: 00:01:30 must be less than Sqs:VisibilityTimeout (00:01:00)")]
    [InlineData(30, 90, 90, "Sqs:ExtensionThreshold: 00:01:30 must be less than Sqs:VisibilityTimeout (00:01:30)")]
    public void Validate_OneRelationBroken_OneLineNamingBothSettings(int heartbeat, int threshold, int visibility, string expected)
    {
        var failures = Failures(heartbeat, threshold, visibility);

        var failure = Assert.Single(failures);
        Assert.Equal(expected, failure);
        Assert.Equal("Sqs:" + expected.Split(':')[1], ConfigurationProblem.Parse(failure, "Sqs").Setting);
    }

    [Fact]
    public void Validate_BothRelationsBroken_OneLineEach()
    {
        // Given a heartbeat above the threshold, and a threshold above the visibility timeout
        var failures = Failures(heartbeat: 120, threshold: 90, visibility: 10);

        // Then each violation is its own line, named by its setting
        Assert.Equal(["Sqs:HeartbeatInterval", "Sqs:ExtensionThreshold"], failures.Select(f => ConfigurationProblem.Parse(f, "Sqs").Setting));
    }

    [Theory]
    [InlineData(1, 2, 3)]
    [InlineData(29, 30, 31)]
    public void Validate_StrictlyIncreasing_Pass(int heartbeat, int threshold, int visibility)
    {
        Assert.Empty(Failures(heartbeat, threshold, visibility));
    }

    private static IEnumerable<string> Failures(int heartbeat, int threshold, int visibility)
    {
        var result = new ServiceOptionsRelations().Validate(null, new SqsOptions
        {
            QueueUrl = "https://sqs.eu-west-1.amazonaws.com/1/q",
            HeartbeatInterval = TimeSpan.FromSeconds(heartbeat),
            ExtensionThreshold = TimeSpan.FromSeconds(threshold),
            VisibilityTimeout = TimeSpan.FromSeconds(visibility),
        });
        return result.Succeeded ? [] : [.. result.Failures!];
    }
}
