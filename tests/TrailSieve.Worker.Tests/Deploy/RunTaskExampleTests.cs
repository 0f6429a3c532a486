using System.Text.Json;
using System.Text.RegularExpressions;
using TrailSieve.Core.Layout;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Tests.Backfill;

namespace TrailSieve.Worker.Tests.Deploy;

/// <summary>The <c>aws ecs run-task</c> example of deploy/ecs/README.md, as the worker would receive its command.</summary>
public sealed partial class RunTaskExampleTests
{
    private const string QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/TrailSieve-NotificationsQueue";

    [Fact]
    public void RunTaskExample_Command_ParsesAsABackfillWithAQueueUrlAndAMonthPrefix()
    {
        // Given the container command of the README's example, with the stack output it reads filled in
        var command = ExampleCommand();

        // When the worker's command line parses it
        var parse = TrailSieveCommand.Create().Parse(command);

        // Then it is a valid backfill whose --enqueue has the queue URL and whose prefix is one month of one region
        Assert.Empty(parse.Errors);
        Assert.Equal("backfill", parse.CommandResult.Command.Name);
        Assert.Equal(QueueUrl, command[Array.IndexOf(command, "--enqueue") + 1]);
        var position = CloudTrailLayout.Locate(command[Array.IndexOf(command, "--prefix") + 1]);
        Assert.Equal(LayoutLevel.Month, position.Level);
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1)), (position.From!.Value, position.To!.Value));
    }

    [Fact]
    public async Task RunTaskExample_Prefix_FindsThatMonthsPartitions()
    {
        // Given a trail of the example's account and region over December and January
        var command = ExampleCommand();
        var prefix = command[Array.IndexOf(command, "--prefix") + 1];
        var bucket = new InMemoryBucket("my-cloudtrail-bucket");
        foreach (var day in CloudTrailLayout.Days(new DateOnly(2025, 12, 30), new DateOnly(2026, 2, 2)))
        {
            bucket.Put(CloudTrailLayout.DayPrefix("AWSLogs/123456789012/CloudTrail/eu-west-1/", day) + "f.json.gz", [1]);
        }

        // When discovery starts at the example's prefix
        var partitions = await BackfillTrail.DiscoverAsync(bucket, new BackfillSettings { Bucket = bucket.Name, Prefix = prefix });

        // Then it is every day of January, not nothing
        Assert.Equal(CloudTrailLayout.Days(new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1)), partitions.Select(p => p.Day).Order());
    }

    /// <summary>The JSON array the README's <c>printf</c> builds, with <c>$(out QueueUrl)</c> as <see cref="QueueUrl"/>.</summary>
    private static string[] ExampleCommand()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "ecs", "README.md"));
        var example = CommandLine().Match(readme);
        Assert.True(example.Success, "deploy/ecs/README.md has no command=$(printf '[...]' \"$(out QueueUrl)\") line");
        Assert.Contains("\\\"command\\\":$command", readme, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<string[]>(example.Groups["json"].Value.Replace("%s", QueueUrl, StringComparison.Ordinal))!;
    }

    [GeneratedRegex("""command=\$\(printf '(?<json>\[[^']*\])' "\$\(out QueueUrl\)"\)""")]
    private static partial Regex CommandLine();
}
