using System.Text;
using System.Text.Json;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Cli;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class DetectionsCliTests : IDisposable
{
    private static readonly string s_threats = Path.Combine(RepoPaths.Root, "rules", "detections", "threats.yaml");
    private static readonly string s_highRisk = Path.Combine(RepoPaths.Root, "rules", "detections", "high-risk.yaml");
    private static readonly string s_defaultRules = Path.Combine(RepoPaths.Root, "rules", "default.yaml");

    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-detections-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RootCall(int id) =>
        $$"""{"userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"eventTime":"2026-01-02T03:04:05Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","eventID":"r{{id}}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}""";

    private string Input()
    {
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        File.WriteAllBytes(Path.Combine(input, "a.json.gz"), Gzip.Compress(OutputDocuments.Document([RootCall(1), OutputDocuments.Record("DescribeInstances"), RootCall(2)])));
        return input;
    }

    [Fact]
    public async Task Filter_WithDetectionsAndAlerts_WritesFindingsAndCountsThem()
    {
        // Given an input with two root calls
        var input = Input();
        var alerts = Path.Combine(_dir, "alerts");

        // When it is filtered with both packs
        var (code, stdout, stderr) = await RunAsync(
            "filter", "--rules", s_defaultRules, "--out", Path.Combine(_dir, "out"), "--detections", s_threats, "--detections", s_highRisk, "--alerts", alerts, input);

        // Then one gzip JSON Lines file holds a finding per root call, and the summary counts them
        Assert.True(code == 0, stderr);
        Assert.Contains("findings 2,", stdout, StringComparison.Ordinal);
        var file = Assert.Single(Directory.GetFiles(alerts));
        Assert.Matches(@"findings-[A-Za-z0-9]{16}\.jsonl\.gz$", file);
        var lines = Encoding.UTF8.GetString(Gzip.Decompress(File.ReadAllBytes(file))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["r1", "r2"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("eventID").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Filter_DetectionsWithoutAlerts_IsAUsageError()
    {
        // Given detections but nowhere to write findings
        // When filter runs
        var (code, _, stderr) = await RunAsync("filter", "--rules", s_defaultRules, "--out", Path.Combine(_dir, "out"), "--detections", s_threats, Input());

        // Then it stops with exit code 2 and says why
        Assert.Equal(ExitCodes.UsageOrRules, code);
        Assert.Contains("--alerts DIR is required with --detections", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_Json_HasHitsPerDetection()
    {
        // Given the input
        // When dryrun runs with the threats pack and --json
        var (code, stdout, stderr) = await RunAsync("dryrun", "--rules", s_defaultRules, "--json", "--detections", s_threats, Input());

        // Then the document has a detections object with every detection and its hits
        Assert.True(code == 0, stderr);
        var detections = JsonDocument.Parse(stdout).RootElement.GetProperty("detections");
        Assert.Equal(2, detections.GetProperty("Root account usage").GetInt64());
        Assert.Equal(0, detections.GetProperty("Console login without MFA").GetInt64());
        Assert.Equal(5, detections.EnumerateObject().Count());
    }

    [Fact]
    public async Task DryRun_Text_ListsDetectionHits()
    {
        // Given the input
        // When dryrun runs with the threats pack
        var (code, stdout, stderr) = await RunAsync("dryrun", "--rules", s_defaultRules, "--detections", s_threats, Input());

        // Then a detection table follows the rules table
        Assert.True(code == 0, stderr);
        Assert.Matches(@"detection\s+hits", stdout);
        Assert.Matches(@"Root account usage\s+2", stdout);
    }

    [Fact]
    public async Task Validate_DetectionFilesAndRuleFiles_EachCheckedAsItsKind()
    {
        // Given both packs, the default rules and a broken detection file
        var broken = Path.Combine(_dir, "broken.yaml");
        await File.WriteAllTextAsync(broken, "detections:\n  - name: x\n    matches: [{ field_name: a, equals: b }]\n");

        // When they are validated
        var (ok, stdout, _) = await RunAsync("validate", s_threats, s_highRisk, s_defaultRules);
        var (bad, _, stderr) = await RunAsync("validate", broken);

        // Then the packs and rules are valid, each described as its kind, and the broken one names its problem
        Assert.Equal(ExitCodes.Success, ok);
        Assert.Contains("threats.yaml: valid, 5 detections (1 with a threshold)", stdout, StringComparison.Ordinal);
        Assert.Contains("high-risk.yaml: valid, 16 detections (0 with a threshold)", stdout, StringComparison.Ordinal);
        Assert.Contains("default.yaml: valid, 9 rules", stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageOrRules, bad);
        Assert.Contains("detections[0] 'x': severity: missing", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await TrailSieveCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
