using System.Text;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections;

public sealed class DetectionEvaluationTests
{
    private static readonly Core.Detections.DetectionSet s_detections = Load("""
        detections:
          - { name: iam, severity: low, matches: [{ field_name: eventSource, equals: iam.amazonaws.com }] }
          - { name: create, severity: medium, matches: [{ field_name: eventName, prefix: Create }] }
          - name: outside
            severity: high
            matches: [{ field_name: sourceIPAddress, cidr: ["10.0.0.0/8"], not: true }]
          - name: off
            severity: high
            enabled: false
            matches: [{ field_name: eventName, prefix: Create }]
          - name: not by service
            severity: low
            matches: [{ field_name: eventName, prefix: Create }]
            exclude_matches: [{ field_name: userIdentity.type, equals: AWSService }]
        """);

    [Fact]
    public void Evaluate_SeveralDetectionsHit_EveryOneIsReportedInOrder()
    {
        // Given rules that drop IAM calls and the detections
        var rules = With(s_detections, "rules: [{ name: drop iam, matches: [{ field_name: eventSource, equals: iam.amazonaws.com }] }]");
        var record = Encoding.UTF8.GetBytes("""{"eventSource":"iam.amazonaws.com","eventName":"CreateUser","sourceIPAddress":"198.51.100.4","userIdentity":{"type":"IAMUser"}}""");
        var hits = new int[rules.DetectionCount];

        // When a record several detections hit is evaluated
        var decision = rules.Evaluate(record, out _, hits, out var count);

        // Then the filter still drops it, and every enabled detection that hits is reported (not first-hit)
        Assert.Equal(RuleAction.Drop, decision.Action);
        Assert.Equal(["iam", "create", "outside", "not by service"], Hits(rules, record));
        Assert.Equal(4, count);
    }

    [Theory]
    [InlineData("""{"eventSource":"s3.amazonaws.com","eventName":"GetObject","sourceIPAddress":"10.1.1.1"}""", new string[0])]
    [InlineData("""{"eventSource":"s3.amazonaws.com","eventName":"CreateBucket","sourceIPAddress":"AWS Internal","userIdentity":{"type":"AWSService"}}""", new[] { "create" })]
    [InlineData("""{"eventSource":"s3.amazonaws.com","eventName":"GetObject","sourceIPAddress":"2001:db8::1"}""", new[] { "outside" })]
    public void Evaluate_EachRecord_HitsExactlyItsDetections(string json, string[] expected)
    {
        // Given keep-all rules with the detections
        var rules = With(s_detections);

        // When the record is evaluated
        var hits = Hits(rules, json);

        // Then exactly the expected detections hit
        Assert.Equal(expected, hits);
    }

    [Fact]
    public void Evaluate_FilterDecision_IsTheSameWithAndWithoutDetections()
    {
        // Given rules with and without detections
        const string yaml = "default_action: drop\nrules: [{ name: keep iam, action: keep, matches: [{ field_name: eventSource, equals: iam.amazonaws.com }] }]";
        var plain = RuleSetLoader.Load(yaml, "r.yaml");
        var combined = plain.WithDetections(s_detections);
        var records = new[]
        {
            """{"eventSource":"iam.amazonaws.com","eventName":"CreateUser"}""",
            """{"eventSource":"s3.amazonaws.com","eventName":"CreateBucket"}""",
            """{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","sourceIPAddress":"8.8.8.8"}""",
        };

        // When the same records are evaluated by both
        // Then every decision and every evaluated field's range is the same
        foreach (var json in records)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var a = plain.Evaluate(bytes, out var fieldsA);
            var b = combined.Evaluate(bytes, out var fieldsB);
            Assert.Equal(a, b);
            Assert.Equal(fieldsA, fieldsB);
        }

        Assert.Equal(plain.RuleNames, combined.RuleNames);
        Assert.Equal(0, plain.DetectionCount);
        Assert.Equal(5, combined.DetectionCount);
    }

    [Fact]
    public void Evaluate_RecordNoDetectionHits_AllocatesNothing()
    {
        // Given both shipped packs with the default rules, and a record none of them hits
        var detections = Core.Detections.DetectionSetLoader.LoadFiles([Path.Combine(PacksFolder, "threats.yaml"), Path.Combine(PacksFolder, "high-risk.yaml")]);
        var rules = RuleSetLoader.LoadFile(Path.Combine(Core.Tests.TestSupport.RepoPaths.Root, "rules", "default.yaml")).WithDetections(detections);
        var record = Encoding.UTF8.GetBytes("""{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/i-1"},"eventTime":"2026-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","requestParameters":{"bucketName":"b"},"eventID":"e","eventType":"AwsApiCall","recipientAccountId":"111122223333"}""");
        var hits = new int[rules.DetectionCount];
        for (var i = 0; i < 5000; i++)
        {
            // Warm up past tiered compilation, whose on-stack replacement allocates once.
            rules.Evaluate(record, out _, hits, out _);
        }

        // When it is evaluated many times
        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 1000; i++)
        {
            rules.Evaluate(record, out _, hits, out var count);
            total += count;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Then nothing hits and nothing is allocated
        Assert.Equal(0, total);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Evaluate_HitsSpanTooSmall_Throws()
    {
        // Given rules with detections
        var rules = With(s_detections);

        // When evaluated with a span too small for the detections
        // Then the caller is told
        Assert.Throws<ArgumentException>(() => rules.Evaluate("{}"u8, out _, new int[1], out _));
    }
}
