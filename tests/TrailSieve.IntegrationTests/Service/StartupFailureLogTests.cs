using System.Text.Json;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Service;

/// <summary>A service that cannot start says so in its JSON log, which is all a crash-looping task leaves behind.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class StartupFailureLogTests(AwsEndpointFixture aws)
{
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
            Assert.Contains("configuration: ", cli.Errors, StringComparison.Ordinal);
            Assert.Contains("QueueUrl", cli.Errors, StringComparison.Ordinal);
            var lines = cli.Stdout.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            var critical = lines.Where(j => j.GetProperty("EventId").GetInt32() == 411).ToList();
            Assert.Equal(cli.Stderr.Count(l => l.StartsWith("configuration: ", StringComparison.Ordinal)), critical.Count);
            Assert.All(critical, j => Assert.Equal("Critical", j.GetProperty("LogLevel").GetString()));
            Assert.Contains(critical, j => j.GetProperty("Message").GetString()!.Contains("QueueUrl", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(rules);
        }
    }
}
