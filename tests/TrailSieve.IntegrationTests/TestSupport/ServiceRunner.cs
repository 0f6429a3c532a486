using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrailSieve.Worker.Hosting;

namespace TrailSieve.IntegrationTests.TestSupport;

/// <summary>Runs <c>trailsieve run</c> in-process (the real host) against the fixture's endpoint; <see cref="CliProcess"/> runs it as a child process.</summary>
public static class ServiceRunner
{
    /// <summary>Settings every service test shares: short visibility so redelivery happens within seconds.</summary>
    public static Dictionary<string, string?> Settings(string queueUrl, string outputBucket, string rulesFile, string mode = "Batch", string untilIdle = "00:00:03") => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Sqs:QueueUrl"] = queueUrl,
        ["Sqs:WaitTime"] = "00:00:01",
        ["Sqs:VisibilityTimeout"] = "00:00:05",
        ["Sqs:ExtensionThreshold"] = "00:00:03",
        ["Sqs:HeartbeatInterval"] = "00:00:01",
        ["Sqs:UntilIdle"] = untilIdle,
        ["Output:Bucket"] = outputBucket,
        ["Output:Mode"] = mode,
        ["Output:PartBytes"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Rules:Source"] = "Local",
        ["Rules:File"] = rulesFile,
    };

    /// <summary>Runs the service in-process until it stops by itself (--until-idle); returns its exit code.</summary>
    public static async Task<int> RunInProcessAsync(AwsEndpointFixture aws, IReadOnlyDictionary<string, string?> settings, TimeSpan timeout)
    {
        var environment = aws.WorkerEnvironment();
        using var host = ServiceHost.Build(settings, name => environment.TryGetValue(name, out var value) ? value : null);
        using var deadline = new CancellationTokenSource(timeout);
        await host.StartAsync(deadline.Token);
        await host.WaitForShutdownAsync(deadline.Token);
        Assert.False(deadline.IsCancellationRequested, $"the service did not stop within {timeout}");
        return host.Services.GetRequiredService<ServiceExit>().Code;
    }
}
