using Microsoft.Extensions.Configuration;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Hosting;

namespace TrailSieve.Worker.Tests.Cli;

/// <summary>The one-off commands' configuration has the sources, order and values of <c>run</c>'s host.</summary>
public sealed class WorkerConfigurationTests
{
    // Keys the host builder adds for itself (its content root, environment and application name), not configuration.
    private static readonly string[] s_hostKeys = ["contentRoot", "environment", "applicationName"];

    [Fact]
    public void Build_HasEveryKeyAndValueOfTheServiceHostsConfiguration()
    {
        // Given environment variables of each kind the host reads: a DOTNET_-prefixed one, a section key that the
        // DOTNET_ one also sets (the later source wins), and a Go Lambda name (the legacy map reads through the function)
        var unique = "WorkerConfigurationTest" + Guid.NewGuid().ToString("N")[..8];
        var variables = new Dictionary<string, string>
        {
            [$"DOTNET_{unique}__Prefixed"] = "from-dotnet",
            [$"{unique}__Plain"] = "plain",
            [$"DOTNET_{unique}__Both"] = "prefixed",
            [$"{unique}__Both"] = "unprefixed",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            string? Environment(string name) => name == "CLOUDTRAIL_OUTPUT_BUCKET_NAME" ? "legacy-bucket" : System.Environment.GetEnvironmentVariable(name);

            // When both are built
            var light = WorkerConfiguration.Build(Environment);
            var host = ServiceHost.CreateBuilder(new Dictionary<string, string?>(), Environment).Configuration;

            // Then the values are the same for every key, the test's own among them
            var expected = host.AsEnumerable().Where(p => !s_hostKeys.Contains(p.Key, StringComparer.OrdinalIgnoreCase)).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToList();
            var actual = light.AsEnumerable().OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToList();
            Assert.Equal(expected, actual);
            Assert.Equal("from-dotnet", light[$"{unique}:Prefixed"]);
            Assert.Equal("plain", light[$"{unique}:Plain"]);
            Assert.Equal("unprefixed", light[$"{unique}:Both"]);
            Assert.Equal("legacy-bucket", light["Output:Bucket"]);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                System.Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
