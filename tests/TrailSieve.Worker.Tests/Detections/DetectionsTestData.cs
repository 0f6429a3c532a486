using System.Globalization;
using System.Text;
using System.Text.Json;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Detections;

/// <summary>Generated CloudTrail records, the shipped threat pack, and a pipeline harness with an in-memory alerts sink.</summary>
internal static class DetectionsTestData
{
    private static int s_id;

    public static DetectionSet Threats { get; } = DetectionSetLoader.LoadFile(Path.Combine(RepoPaths.Root, "rules", "detections", "threats.yaml"));

    /// <summary>Keep-all rules with the threat pack taken in.</summary>
    public static CompiledRuleSet KeepAllWithThreats() => RuleSetLoader.Load("rules: []", "rules.yaml").WithDetections(Threats);

    public static string FailedLogin(string ip, DateTimeOffset time) => Record(
        "signin.amazonaws.com", "ConsoleLogin", ip, time, "IAMUser", "\"responseElements\":{\"ConsoleLogin\":\"Failure\"},\"errorMessage\":\"Failed authentication\",");

    /// <summary>A root API call: one "Root account usage" finding.</summary>
    public static string RootCall(DateTimeOffset time) => Record("ec2.amazonaws.com", "RunInstances", "198.51.100.9", time, "Root");

    /// <summary>A call no detection of the threat pack hits.</summary>
    public static string Quiet(DateTimeOffset time) => Record("s3.amazonaws.com", "ListBuckets", "198.51.100.9", time, "IAMUser");

    public static string Record(string source, string name, string ip, DateTimeOffset time, string identityType, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"eventVersion":"1.08","userIdentity":{"type":"{{identityType}}","principalId":"AIDA{{identityType}}","arn":"arn:aws:iam::111122223333:user/u","accountId":"111122223333"},"eventTime":"{{time:yyyy-MM-ddTHH:mm:ssZ}}","eventSource":"{{source}}","eventName":"{{name}}","awsRegion":"eu-west-1","sourceIPAddress":"{{ip}}",{{extra}}"eventID":"ev-{{Interlocked.Increment(ref s_id)}}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}""");

    /// <summary>A pipeline harness whose findings go to <c>Alerts</c> under <c>alerts/yyyy/MM/dd/</c>, flushed at these limits.</summary>
    public static (PipelineHarness Harness, InMemorySink Alerts) Harness(
        OutputMode mode, CompiledRuleSet rules, TimeSpan? maxAge = null, long? maxBytes = null, TimeProvider? time = null, PipelineOptions? pipeline = null)
    {
        var alerts = new InMemorySink();
        var options = new DetectionsOptions { MaxAge = maxAge ?? TimeSpan.FromMinutes(5) };
        options.MaxBytes = maxBytes ?? options.MaxBytes;
        time ??= TimeProvider.System;
        var harness = new PipelineHarness
        {
            Rules = rules,
            Output = new OutputOptions { Mode = mode },
            Time = time,
            Pipeline = pipeline ?? PipelineHarness.DefaultPipeline(),
            Detections = new DetectionsRuntime(
                new DetectionEngine(new ThresholdTracker(options.Lateness, options.MaxGroups)), alerts, new FindingsLayout("alerts/", partitionByDay: true), options.MaxAge, options.MaxBytes),
        };
        return (harness, alerts);
    }

    /// <summary>Every finding in the committed findings objects.</summary>
    public static List<JsonElement> Findings(InMemorySink alerts) =>
        [.. alerts.Committed.Values.SelectMany(Lines).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>The finding lines of one committed findings object.</summary>
    public static string[] Lines(byte[] findingsObject) =>
        Encoding.UTF8.GetString(Gzip.Decompress(findingsObject)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
