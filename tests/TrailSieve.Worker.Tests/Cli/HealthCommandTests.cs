using System.Globalization;
using TrailSieve.Worker.Cli;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class HealthCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-health-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Health_FreshHeartbeat_Exit0Healthy()
    {
        var file = WriteHeartbeat(TimeSpan.FromSeconds(3));

        var (code, stdout, stderr) = await RunAsync("health", "--file", file);

        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Matches(@"^healthy: heartbeat \d+s old\r?\n$", stdout);
    }

    [Fact]
    public async Task Health_HeartbeatOlderThanMaxAge_Exit1Stale()
    {
        var file = WriteHeartbeat(TimeSpan.FromMinutes(2));

        var (code, stdout, stderr) = await RunAsync("health", "--file", file, "--max-age", "60s");

        Assert.Equal(HealthCommand.Unhealthy, code);
        Assert.Empty(stdout);
        Assert.Matches(@"^unhealthy: heartbeat 1[23]\ds old, more than 60s", stderr);
    }

    [Fact]
    public async Task Health_LongerMaxAge_Exit0()
    {
        var file = WriteHeartbeat(TimeSpan.FromMinutes(2));

        var (code, _, stderr) = await RunAsync("health", "--file", file, "--max-age", "5m");

        Assert.True(code == ExitCodes.Success, stderr);
    }

    [Fact]
    public async Task Health_NoHeartbeatFile_Exit1Missing()
    {
        var file = Path.Combine(_dir, "absent");

        var (code, _, stderr) = await RunAsync("health", "--file", file);

        Assert.Equal(HealthCommand.Unhealthy, code);
        Assert.Contains($"unhealthy: no heartbeat in {file}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_BadMaxAge_Exit2()
    {
        var (code, _, stderr) = await RunAsync("health", "--file", WriteHeartbeat(TimeSpan.Zero), "--max-age", "soon");

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("--max-age: 'soon' is not a positive duration", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_BadMaxAgeFromTheEnvironment_ConfigurationErrorNamingTheSetting()
    {
        // Given Health__MaxAge set to something that is not a duration
        var file = WriteHeartbeat(TimeSpan.Zero);
        var command = new System.CommandLine.RootCommand { HealthCommand.Create(environment: name => name == "Health__MaxAge" ? "soon" : null) };
        using var stderr = new StringWriter();

        // When the health check runs
        var code = await command.Parse(["health", "--file", file]).InvokeAsync(new System.CommandLine.InvocationConfiguration { Error = stderr });

        // Then it names the setting, in the configuration error style
        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Equal("trailsieve: configuration error: Health:MaxAge: 'soon' is not a positive duration; accepted: 60s, 2m, 00:01:00", stderr.ToString().Trim());
    }

    private string WriteHeartbeat(TimeSpan age)
    {
        var path = Path.Combine(_dir, "heartbeat");
        File.WriteAllText(path, (TimeProvider.System.GetUtcNow() - age).ToString("O", CultureInfo.InvariantCulture));
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await TrailSieveCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
