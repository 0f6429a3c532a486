using System.Text;
using System.Text.Json;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections.Sigma;

/// <summary>Loading Sigma files: what is read, what is refused and how it is named, findings, and the rule index.</summary>
public sealed class SigmaLoadingTests
{
    private const string ConsoleLoginWithoutMfa = """
        title: Console login without MFA (test)
        id: 8a3f2b9e-1111-4c2d-9e7f-000000000001
        status: test
        description: A console sign-in that succeeded without MFA.
        tags: [attack.initial-access, attack.t1078.004]
        logsource:
          product: aws
          service: cloudtrail
        detection:
          selection:
            eventSource: signin.amazonaws.com
            eventName: ConsoleLogin
            additionalEventData.MFAUsed: 'No'
            responseElements.ConsoleLogin: Success
          condition: selection
        falsepositives:
          - Break-glass users without MFA
        level: informational
        """;

    [Fact]
    public void SigmaText_IsToldApartFromTheRuleSyntax()
    {
        Assert.True(DetectionSetLoader.IsSigma(ConsoleLoginWithoutMfa));
        Assert.True(DetectionSetLoader.IsDetectionFile(ConsoleLoginWithoutMfa));
        Assert.False(DetectionSetLoader.IsSigma("detections: []"));
        Assert.False(DetectionSetLoader.IsSigma("rules: []"));
    }

    [Fact]
    public void Rule_CarriesItsMetadata_LevelBecomesSeverity()
    {
        var set = Load(ConsoleLoginWithoutMfa);
        var detection = Assert.Single(set.Detections);
        Assert.Equal("Console login without MFA (test)", detection.Name);
        Assert.Equal(Severity.Low, detection.Severity);
        Assert.Equal("A console sign-in that succeeded without MFA.", detection.Description);
        var sigma = Assert.IsType<SigmaInfo>(detection.Sigma);
        Assert.Equal("8a3f2b9e-1111-4c2d-9e7f-000000000001", sigma.Id);
        Assert.Equal("informational", sigma.Level);
        Assert.Equal(["attack.initial-access", "attack.t1078.004"], sigma.Tags);
        Assert.Equal(["Break-glass users without MFA"], sigma.FalsePositives);
        Assert.Equal("test", sigma.Status);
    }

    [Theory]
    [InlineData("informational", "low")]
    [InlineData("low", "low")]
    [InlineData("medium", "medium")]
    [InlineData("high", "high")]
    [InlineData("critical", "critical")]
    public void Level_MapsToTheFindingsSeverities(string level, string severity)
    {
        var set = Load(ConsoleLoginWithoutMfa.Replace("level: informational", $"level: {level}", StringComparison.Ordinal));
        Assert.Equal(severity, Assert.Single(set.Detections).Severity);
    }

    [Fact]
    public void Finding_CarriesTheSigmaFields()
    {
        var set = Load(ConsoleLoginWithoutMfa);
        var rules = With(set);
        var record = Encoding.UTF8.GetBytes("""{"eventVersion":"1.08","eventID":"e-1","eventTime":"2024-05-01T10:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","recipientAccountId":"111122223333","additionalEventData":{"MFAUsed":"No"},"responseElements":{"ConsoleLogin":"Success"}}""");
        var hits = new int[rules.DetectionCount];
        rules.Evaluate(record, out var fields, hits, out var count);
        var findings = new ChunkFindings();
        new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 100)).Raise(set, record, fields, hits.AsSpan(0, count), "s3://b/k.json.gz", findings);

        using var line = JsonDocument.Parse(findings.Lines[..findings.Findings[0].Length]);
        var root = line.RootElement;
        Assert.Equal("Console login without MFA (test)", root.GetProperty("detection").GetString());
        Assert.Equal("low", root.GetProperty("severity").GetString());
        var sigma = root.GetProperty("sigma");
        Assert.Equal("8a3f2b9e-1111-4c2d-9e7f-000000000001", sigma.GetProperty("id").GetString());
        Assert.Equal("Console login without MFA (test)", sigma.GetProperty("title").GetString());
        Assert.Equal("informational", sigma.GetProperty("level").GetString());
        Assert.Equal(["attack.initial-access", "attack.t1078.004"], sigma.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["Break-glass users without MFA"], sigma.GetProperty("falsepositives").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("e-1", root.GetProperty("eventID").GetString());
    }

    [Fact]
    public void OtherLogsource_IsSkippedWithAWarning()
    {
        var set = Load("""
            title: Windows rule
            logsource: { product: windows, category: process_creation }
            detection:
              selection: { Image|endswith: '\cmd.exe' }
              condition: selection
            ---
            title: AWS rule
            logsource: { product: aws, service: cloudtrail }
            detection:
              selection: { eventName: StopLogging }
              condition: selection
            """);
        Assert.Equal("AWS rule", Assert.Single(set.Detections).Name);
        var warning = Assert.Single(set.Warnings);
        Assert.Contains("sigma rule 'Windows rule': logsource is product 'windows'", warning, StringComparison.Ordinal);
        Assert.Contains("skipped", warning, StringComparison.Ordinal);
        Assert.StartsWith("test-detections.yaml: ", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eventName|base64: x", "detection.selection.eventName|base64: modifier 'base64' is not supported")]
    [InlineData("eventName|windash: x", "modifier 'windash' is not supported")]
    [InlineData("eventName|sideways: x", "unknown modifier 'sideways'")]
    [InlineData("eventName|contains|startswith: x", "'contains' and 'startswith' cannot be combined")]
    [InlineData("eventName|exists: maybe", "'exists' takes true or false")]
    [InlineData("eventName|exists|contains: true", "'exists' stands alone")]
    [InlineData("sourceIPAddress|cidr: 10.0.0.0/33", "invalid network '10.0.0.0/33'")]
    [InlineData("eventName|re: '(a'", "invalid regex")]
    [InlineData("eventName|re: '(?=a)b'", "not supported by the linear-time engine")]
    [InlineData("eventName|re|cased: a", "'re' takes only the flags i, m and s")]
    [InlineData("eventName|i: a", "the flags i, m and s belong to 're'")]
    [InlineData("eventName|gt: many", "'gt' needs a number")]
    [InlineData("eventName|contains: null", "null is a value of its own")]
    [InlineData("'requestParameters.items[].name': x", "Sigma paths have no []")]
    [InlineData("eventName: { a: 1 }", "expected a value or a list of values")]
    public void BadFieldTest_IsAnErrorNamingTheRuleTheKeyAndTheReason(string test, string reason)
    {
        var error = Reject($$"""
            title: Broken
            logsource: { product: aws, service: cloudtrail }
            detection:
              selection:
                {{test}}
              condition: selection
            """);
        var message = Assert.Single(error.Errors);
        Assert.StartsWith("sigma rule 'Broken': detection.selection.", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains("(line 5,", message, StringComparison.Ordinal);
        Assert.StartsWith("test-detections.yaml: 1 error", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("logsource: { product: aws, service: cloudtrail }\ndetection: { condition: x }", "title: missing or empty")]
    [InlineData("title: t\nlogsource: { product: aws, service: cloudtrail }\ndetection: { sel: { a: 1 } }", "detection.condition: missing")]
    [InlineData("title: t\nlevel: severe\nlogsource: { product: aws, service: cloudtrail }\ndetection: { sel: { a: 1 }, condition: sel }", "level: unknown value 'severe'")]
    [InlineData("title: t\nlogsource: { product: aws, service: cloudtrail }\ndetection: { sel: { a: 1 }, timeframe: 5m, condition: sel }", "write a correlation rule")]
    [InlineData("title: t\nlogsource: { product: aws, service: cloudtrail }\ndetection: { sel: {}, condition: sel }", "an empty map matches nothing")]
    public void BadRule_IsAnError(string yaml, string reason)
    {
        var error = Reject(yaml);
        Assert.Contains(error.Errors, e => e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateTitles_AreAnError()
    {
        var error = Reject("""
            title: Same
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { a: 1 }, condition: sel }
            ---
            title: Same
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { b: 1 }, condition: sel }
            """);
        Assert.Contains("sigma rule 'Same': title: used by another rule", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_LoadsEverySigmaAndDetectionFileUnderIt()
    {
        var folder = Directory.CreateTempSubdirectory("sigma-folder-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "iam"));
            File.WriteAllText(Path.Combine(folder.FullName, "iam", "b.yml"), "title: B\nlogsource: { product: aws, service: cloudtrail }\ndetection: { sel: { eventName: CreateUser }, condition: sel }\n");
            File.WriteAllText(Path.Combine(folder.FullName, "a.yaml"), "title: A\nlogsource: { product: aws, service: cloudtrail }\ndetection: { sel: { eventName: StopLogging }, condition: sel }\n");
            File.WriteAllText(Path.Combine(folder.FullName, "c.yaml"), "detections: [{ name: C, severity: high, matches: [{ field_name: eventName, equals: DeleteTrail }] }]\n");
            File.WriteAllText(Path.Combine(folder.FullName, "notes.txt"), "not a rule");

            var set = DetectionSetLoader.LoadFile(folder.FullName);

            Assert.Equal(["A", "C", "B"], set.Detections.Select(d => d.Name));
            Assert.Equal(["stoplogging"], Hits(With(set), """{"eventName":"STOPLOGGING"}""").Select(n => n == "A" ? "stoplogging" : n));
            Assert.Equal(["C"], Hits(With(set), """{"eventName":"DeleteTrail"}"""));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void SigmaAndRulePaths_ThroughOneArray_KeepTheirOwnSemantics()
    {
        // The rule syntax reads requestParameters.items.name only where items is an object; Sigma goes through the array.
        var rules = With(
            Load("title: S\nlogsource: { product: aws, service: cloudtrail }\ndetection: { sel: { requestParameters.items.name: x }, condition: sel }\n"),
            "rules: [{ name: r, action: drop, matches: [{ field_name: requestParameters.items.name, equals: x }] }]");
        var throughArray = Encoding.UTF8.GetBytes("""{"requestParameters":{"items":[{"name":"x"}]}}""");
        var throughObject = Encoding.UTF8.GetBytes("""{"requestParameters":{"items":{"name":"x"}}}""");
        var hits = new int[rules.DetectionCount];

        Assert.Equal(RuleAction.Keep, rules.Evaluate(throughArray, out _, hits, out var arrayHits).Action);
        Assert.Equal(1, arrayHits);
        Assert.Equal(RuleAction.Drop, rules.Evaluate(throughObject, out _, hits, out var objectHits).Action);
        Assert.Equal(1, objectHits);
    }

    [Fact]
    public void RuleIndex_OnSigmaRules_GivesWhatTryingEveryRuleGives_OnTheRealCorpus()
    {
        // Rules guarded by case-insensitive values, lists, ORs of selections, negations and unguarded ones.
        var set = Load("""
            title: g1
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { eventSource: S3.AMAZONAWS.COM, eventName: [getobject, PutObject, ListBuckets] }, condition: sel }
            ---
            title: g2
            logsource: { product: aws, service: cloudtrail }
            detection:
              a: { eventSource: iam.amazonaws.com }
              b: { eventSource: sts.amazonaws.com, eventName: AssumeRole }
              condition: 1 of them
            ---
            title: g3
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { eventSource: ec2.amazonaws.com }, f: { userIdentity.type: AWSService }, condition: sel and not f }
            ---
            title: g4
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { eventName|startswith: Describe }, condition: sel }
            ---
            title: g5
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { userIdentity.type: [Root, IAMUser] }, n: { errorCode: null }, condition: sel and n }
            ---
            title: g6
            logsource: { product: aws, service: cloudtrail }
            detection: { sel: { eventName: 'Get*' }, condition: not sel }
            """);
        var rules = With(set);
        var hits = new int[rules.DetectionCount];
        var exhaustive = new int[rules.DetectionCount];
        var records = RealRecords.All;
        Assert.True(records.Count > 500, $"the corpus has {records.Count} records");
        var total = 0;
        foreach (var record in records)
        {
            rules.Evaluate(record, out _, hits, out var count);
            rules.EvaluateExhaustively(record, out _, exhaustive, out var exhaustiveCount);
            Assert.Equal(exhaustive.AsSpan(0, exhaustiveCount).ToArray(), hits.AsSpan(0, count).ToArray());
            total += count;
        }

        Assert.True(total > 100, $"only {total} hits: the rules do not exercise the index");
    }
}
