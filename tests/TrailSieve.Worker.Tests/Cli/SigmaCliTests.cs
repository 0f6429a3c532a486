using System.Text;
using System.Text.Json;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

/// <summary>Sigma rules through the commands: validate (and --strict), filter's findings, dryrun's hits, correlations.</summary>
public sealed class SigmaCliTests : IDisposable
{
    private const string StopLogging = """
        title: Trail stopped (test)
        id: 0b4b3a1e-2222-4f00-9000-000000000001
        name: trail_stopped
        tags: [attack.defense-evasion, attack.t1562.008]
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection:
            eventSource: cloudtrail.amazonaws.com
            eventName: [StopLogging, DeleteTrail]
          condition: selection
        falsepositives: [Planned trail migrations]
        level: high
        """;

    private const string ManyDescribes = """
        title: Describe burst (test)
        name: describe_call
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection: { eventName|startswith: describe }
          condition: selection
        level: low
        ---
        title: Three describes from one account in ten minutes (test)
        correlation:
          type: event_count
          rules: [describe_call]
          group-by: [recipientAccountId]
          timespan: 10m
          condition: { gte: 3 }
        level: medium
        """;

    private static readonly string s_rules = Path.Combine(RepoPaths.Root, "rules", "default.yaml");

    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-sigma-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder(params (string Name, string Text)[] files)
    {
        var folder = Path.Combine(_dir, "sigma");
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        return folder;
    }

    private string Input(params string[] records)
    {
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        File.WriteAllBytes(Path.Combine(input, "a.json.gz"), Gzip.Compress(OutputDocuments.Document(records)));
        return input;
    }

    [Fact]
    public async Task Validate_SigmaFolder_CountsItsRules_AndWarnsOfOtherLogsources()
    {
        var folder = Folder(
            ("trail/stop.yml", StopLogging),
            ("describe.yml", ManyDescribes),
            ("windows.yml", "title: W\nlogsource: { product: windows }\ndetection: { s: { Image: x }, condition: s }\n"));

        var (code, stdout, stderr) = await RunAsync("validate", folder);

        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains($"{folder}: valid, 2 Sigma rules, 1 Sigma correlations", stdout, StringComparison.Ordinal);
        Assert.Contains("sigma rule 'W': logsource is product 'windows'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenSigma_NamesTheFileTheRuleAndTheKey()
    {
        var folder = Folder(("bad.yml", "title: Bad\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  s: { eventName|utf16le: x }\n  condition: s\n"));

        var (code, _, stderr) = await RunAsync("validate", folder);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("bad.yml: 1 error", stderr, StringComparison.Ordinal);
        Assert.Contains("sigma rule 'Bad': detection.s.eventName|utf16le: modifier 'utf16le' is not supported", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnresolvedCorrelation_IsAnError()
    {
        var folder = Folder(("c.yml", "title: C\ncorrelation: { type: event_count, rules: [nowhere], group-by: [sourceIPAddress], timespan: 5m, condition: { gte: 2 } }\n"));

        var (code, _, stderr) = await RunAsync("validate", folder);

        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("sigma rule 'C': correlation.rules: 'nowhere' is the name or id of no loaded Sigma rule", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateStrict_ReportsRulesThatCannotFire_AndDeadTests()
    {
        var folder = Folder(
            ("never.yml", "title: Never\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  s: { eventSource: iam.amazonaws.com, status: success }\n  condition: s\n"),
            ("dead.yml", "title: Dead\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  e: { eventName: DeleteBucket }\n  ok_a: { errorCode: Success }\n  ok_b: { errorCode: null }\n  condition: e and 1 of ok_*\n"),
            ("always.yml", "title: Always\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  s: { eventName: '*' }\n  condition: s\n"),
            ("fine.yml", StopLogging));

        var (plain, _, _) = await RunAsync("validate", folder);
        var (strict, stdout, stderr) = await RunAsync("validate", "--strict", folder);
        var (clean, cleanOut, cleanErr) = await RunAsync("validate", "--strict", Path.Combine(folder, "fine.yml"));

        Assert.Equal(ExitCodes.Success, plain);
        Assert.Equal(ExitCodes.UsageOrRules, strict);
        Assert.Contains("sigma rule 'Never': never fires on CloudTrail: detection.s.status: CloudTrail records have no field 'status'", stderr, StringComparison.Ordinal);
        Assert.Contains("sigma rule 'Dead': never matches, so it does nothing: detection.ok_a.errorCode: CloudTrail has no errorCode 'Success'", stderr, StringComparison.Ordinal);
        Assert.Contains("sigma rule 'Always': fires on every CloudTrail record", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("'Trail stopped (test)'", stderr, StringComparison.Ordinal);
        Assert.Contains("lint: 3 problems", stdout, StringComparison.Ordinal);
        Assert.True(clean == ExitCodes.Success, cleanErr);
        Assert.Contains("lint: no problems", cleanOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_WithSigmaFolder_WritesFindingsWithTheRulesMetadata()
    {
        var folder = Folder(("stop.yml", StopLogging));
        var input = Input(
            OutputDocuments.Record("StopLogging", "cloudtrail.amazonaws.com", id: 1),
            OutputDocuments.Record("DescribeTrails", "cloudtrail.amazonaws.com", id: 2),
            OutputDocuments.Record("deletetrail", "CloudTrail.amazonaws.com", id: 3));
        var alerts = Path.Combine(_dir, "alerts");

        var (code, stdout, stderr) = await RunAsync("filter", "--rules", s_rules, "--out", Path.Combine(_dir, "out"), "--detections", folder, "--alerts", alerts, input);

        Assert.True(code == 0, stderr);
        Assert.Contains("findings 2,", stdout, StringComparison.Ordinal);
        var lines = Encoding.UTF8.GetString(Gzip.Decompress(File.ReadAllBytes(Assert.Single(Directory.GetFiles(alerts)))))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        foreach (var line in lines)
        {
            Assert.Equal("Trail stopped (test)", line.GetProperty("detection").GetString());
            Assert.Equal("high", line.GetProperty("severity").GetString());
            var sigma = line.GetProperty("sigma");
            Assert.Equal("0b4b3a1e-2222-4f00-9000-000000000001", sigma.GetProperty("id").GetString());
            Assert.Equal(["attack.defense-evasion", "attack.t1562.008"], sigma.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(["Planned trail migrations"], sigma.GetProperty("falsepositives").EnumerateArray().Select(t => t.GetString()));
        }
    }

    [Fact]
    public async Task DryRun_CountsHitsPerSigmaRule_AndTheirCorrelation()
    {
        var folder = Folder(("stop.yml", StopLogging), ("describe.yml", ManyDescribes));
        var input = Input(
            OutputDocuments.Record("DescribeInstances", id: 1),
            OutputDocuments.Record("DescribeVolumes", id: 2),
            OutputDocuments.Record("RunInstances", id: 3),
            OutputDocuments.Record("StopLogging", "cloudtrail.amazonaws.com", id: 4));

        var (code, stdout, stderr) = await RunAsync("dryrun", "--rules", s_rules, "--json", "--detections", folder, input);

        Assert.True(code == 0, stderr);
        var detections = JsonDocument.Parse(stdout).RootElement.GetProperty("detections");
        Assert.Equal(1, detections.GetProperty("Trail stopped (test)").GetInt64());
        Assert.Equal(2, detections.GetProperty("Describe burst (test)").GetInt64());
        Assert.Equal(2, detections.GetProperty("Three describes from one account in ten minutes (test)").GetInt64());
    }

    [Fact]
    public async Task Filter_EventCountCorrelation_FiresOnceAtItsCount_AndItsRuleRaisesNothingItself()
    {
        var folder = Folder(("describe.yml", ManyDescribes));
        var input = Input(
            OutputDocuments.Record("DescribeInstances", time: "2026-01-02T03:00:00Z", id: 1),
            OutputDocuments.Record("DescribeVolumes", time: "2026-01-02T03:02:00Z", id: 2),
            OutputDocuments.Record("DescribeImages", time: "2026-01-02T03:04:00Z", id: 3),
            OutputDocuments.Record("DescribeImages", time: "2026-01-02T03:05:00Z", id: 4),
            OutputDocuments.Record("DescribeImages", account: "444455556666", time: "2026-01-02T03:05:00Z", id: 5));
        var alerts = Path.Combine(_dir, "alerts");

        var (code, _, stderr) = await RunAsync("filter", "--rules", s_rules, "--out", Path.Combine(_dir, "out"), "--detections", folder, "--alerts", alerts, input);

        Assert.True(code == 0, stderr);
        var line = JsonDocument.Parse(Encoding.UTF8.GetString(Gzip.Decompress(File.ReadAllBytes(Assert.Single(Directory.GetFiles(alerts))))).Trim()).RootElement;
        Assert.Equal("Three describes from one account in ten minutes (test)", line.GetProperty("detection").GetString());
        Assert.Equal(3, line.GetProperty("threshold").GetProperty("count").GetInt32());
        Assert.Equal("111122223333", line.GetProperty("threshold").GetProperty("group").GetString());
        Assert.Equal("event_count", line.GetProperty("sigma").GetProperty("correlation").GetString());
    }

    [Fact]
    public async Task DryRun_SigmaMinimumLevel_LeavesOutTheRulesBelowIt_AndSaysHowMany()
    {
        // Given a high rule, and a low rule read by a medium correlation
        var folder = Folder(("stop.yml", StopLogging), ("describe.yml", ManyDescribes));
        var input = Input(
            OutputDocuments.Record("DescribeInstances", id: 1),
            OutputDocuments.Record("StopLogging", "cloudtrail.amazonaws.com", id: 2));

        // When dry run with the level at high
        var (code, stdout, stderr) = await RunAsync("dryrun", "--rules", s_rules, "--json", "--detections", folder, "--sigma-min-level", "high", input);

        // Then only the high rule is there, and a warning says two were left out
        Assert.True(code == 0, stderr);
        var detections = JsonDocument.Parse(stdout).RootElement.GetProperty("detections");
        Assert.Equal(["Trail stopped (test)"], detections.EnumerateObject().Select(p => p.Name));
        Assert.Contains("2 Sigma rule(s) below level high left out", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_SigmaMinimumLevel_KeepsARuleBelowItForItsCorrelation_WithoutFindingsOfItsOwn()
    {
        // Given a low rule read by a medium correlation that also generates the rule's own findings (generate: true)
        var folder = Folder(("describe.yml", ManyDescribes.Replace("condition: { gte: 3 }", "condition: { gte: 3 }\n  generate: true", StringComparison.Ordinal)));
        var input = Input(
            OutputDocuments.Record("DescribeInstances", time: "2026-01-02T03:00:00Z", id: 1),
            OutputDocuments.Record("DescribeVolumes", time: "2026-01-02T03:02:00Z", id: 2),
            OutputDocuments.Record("DescribeImages", time: "2026-01-02T03:04:00Z", id: 3));

        // When filtered without a level, and with the level at medium
        var all = await FindingsAsync(folder, input, "all");
        var medium = await FindingsAsync(folder, input, "medium", "--sigma-min-level", "medium");

        // Then without it the rule raises its three findings and the correlation one; with it only the correlation
        // fires, counting the rule's hits
        Assert.Equal(3, all.Count(d => d == "Describe burst (test)"));
        Assert.Equal(1, all.Count(d => d == "Three describes from one account in ten minutes (test)"));
        Assert.Equal(["Three describes from one account in ten minutes (test)"], medium);
    }

    private async Task<List<string>> FindingsAsync(string folder, string input, string name, params string[] extra)
    {
        var alerts = Path.Combine(_dir, "alerts-" + name);
        var (code, _, stderr) = await RunAsync(["filter", "--rules", s_rules, "--out", Path.Combine(_dir, "out-" + name), "--detections", folder, "--alerts", alerts, .. extra, input]);
        Assert.True(code == 0, stderr);
        return [.. Directory.GetFiles(alerts).SelectMany(f => Encoding.UTF8.GetString(Gzip.Decompress(File.ReadAllBytes(f))).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("detection").GetString()!)];
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await TrailSieveCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
