using System.Text;
using BenchmarkDotNet.Attributes;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;

namespace TrailSieve.Benchmarks;

/// <summary>
/// <see cref="CompiledRuleSet.Evaluate(ReadOnlySpan{byte}, out EvaluatedFields, Span{int}, out int)"/> over the 2,500 generated records. One operation is one record
/// (OperationsPerInvoke), so Mean is the time per record and Allocated the bytes per record: the target is 0 B.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluatorBenchmarks
{
    private byte[][] _records = [];
    private CompiledRuleSet _rules = CompiledRuleSet.KeepAll;
    private int[] _hits = [];

    /// <summary>
    /// default: rules/default.yaml; keep-all: no rules; regex20: 20 regex rules that rarely fire (worst case);
    /// default+packs: the default rules with both detection packs (rules/detections/), every detection on every record.
    /// </summary>
    [Params("default", "keep-all", "regex20", "default+packs")]
    public string RuleSet { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        _records = BenchData.SplitRecords();
        _rules = RuleSet switch
        {
            "default" => RuleSetLoader.LoadFile(Path.Combine(BenchData.RepoRoot, "rules", "default.yaml")),
            "keep-all" => CompiledRuleSet.KeepAll,
            "regex20" => RuleSetLoader.Load(Regex20(), "regex20"),
            "default+packs" => RuleSetLoader.LoadFile(Path.Combine(BenchData.RepoRoot, "rules", "default.yaml")).WithDetections(
                DetectionSetLoader.LoadFiles(Directory.EnumerateFiles(Path.Combine(BenchData.RepoRoot, "rules", "detections"), "*.yaml").Order(StringComparer.Ordinal))),
            _ => throw new InvalidOperationException($"unknown rule set {RuleSet}"),
        };
        _hits = new int[_rules.DetectionCount];
        if (_records.Length != BenchData.Records)
        {
            throw new InvalidOperationException($"expected {BenchData.Records} records, split {_records.Length}");
        }
    }

    [Benchmark(OperationsPerInvoke = BenchData.Records)]
    public int EvaluatePerRecord()
    {
        var kept = 0;
        var rules = _rules;
        var hits = _hits;
        foreach (var record in _records)
        {
            if (rules.Evaluate(record, out _, hits, out _).Action == RuleAction.Keep)
            {
                kept++;
            }
        }

        return kept;
    }

    /// <summary>
    /// Twenty drop rules in the boogy/CloudTrail-Log-Parser style, two or three regex matches each over top-level and
    /// nested fields. Most test a field that is present in every record, and almost none fire, so nearly every record
    /// runs through all of them: the cost of a large rule file.
    /// </summary>
    private static string Regex20()
    {
        (string Field, string Regex)[][] rules =
        [
            [("eventSource", @"^kms\.amazonaws\.com$"), ("eventName", "^(Decrypt|Encrypt|GenerateDataKey)$"), ("sourceIPAddress", @"^eks\.amazonaws\.com$")],
            [("userIdentity.invokedBy", @"^config\.amazonaws\.com$"), ("eventName", "^(Describe|List|Get).*$"), ("errorCode", "^NoSuchThing$")],
            [("eventName", "^Describe.*$"), ("userIdentity.sessionContext.sessionIssuer.arn", @"^arn:aws:iam::\d{12}:role/security-scanner$")],
            [("userAgent", "^Datadog.*"), ("readOnly", "^true$")],
            [("userAgent", "(?i)nessus|qualys|prowler"), ("eventName", "^(List|Describe)")],
            [("sourceIPAddress", @"^10\.1\.2\.\d+$")],
            [("userIdentity.arn", @":assumed-role/AWSReservedSSO_ReadOnly_[0-9a-f]+/"), ("readOnly", "^true$")],
            [("eventSource", @"^ssm\.amazonaws\.com$"), ("eventName", "^(UpdateInstanceInformation|ListInstanceAssociations)$")],
            [("eventSource", @"^ecr\.amazonaws\.com$"), ("eventName", "^(GetAuthorizationToken|BatchGetImage|GetDownloadUrlForLayer)$")],
            [("eventSource", @"^elasticloadbalancing\.amazonaws\.com$"), ("eventName", "^Describe")],
            [("userAgent", @"^aws-sdk-java/1\.11\."), ("eventName", "^Get")],
            [("eventSource", @"^autoscaling\.amazonaws\.com$"), ("readOnly", "^true$")],
            [("userIdentity.principalId", @"^AROAEXAMPLE[A-Z0-9]+:i-[0-9a-f]{17}$")],
            [("eventName", "^(PutEvaluations|PutConfigurationRecorder)$"), ("eventSource", @"^config\.amazonaws\.com$")],
            [("recipientAccountId", "^000000000000$")],
            [("awsRegion", "^(af-south-1|me-south-1)$"), ("readOnly", "^true$")],
            [("tlsDetails.clientProvidedHostHeader", @"^guardduty\."), ("readOnly", "^true$")],
            [("eventSource", @"^health\.amazonaws\.com$")],
            [("userIdentity.sessionContext.sessionIssuer.userName", "^cloud-custodian-.*$"), ("eventName", "^(Describe|List|Get)")],
            [("eventType", "^AwsServiceEvent$"), ("eventName", "^(AssumeRole|Decrypt)$")],
        ];
        var yaml = new StringBuilder("version: 1.0.0\nrules:\n");
        for (var i = 0; i < rules.Length; i++)
        {
            yaml.Append("  - name: regex rule ").Append(i).Append("\n    matches:\n");
            foreach (var (field, regex) in rules[i])
            {
                yaml.Append("      - field_name: ").Append(field).Append("\n        regex: '").Append(regex).Append("'\n");
            }
        }

        return yaml.ToString();
    }
}
