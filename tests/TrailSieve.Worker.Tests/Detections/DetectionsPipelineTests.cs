using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Tests.TestSupport;
using static TrailSieve.Worker.Tests.Detections.DetectionsTestData;

namespace TrailSieve.Worker.Tests.Detections;

/// <summary>
/// End to end through the real pipeline: generated CloudTrail files, the shipped threat pack, rules that drop what
/// the detections flag, and an in-memory alerts sink.
/// </summary>
public sealed class DetectionsPipelineTests
{
    // Drops every sign-in and every IAM call: the filter output must not change while detections still see them.
    private const string DroppingRules = """
        rules:
          - name: drop sign-in
            matches: [{ field_name: eventSource, equals: signin.amazonaws.com }]
          - name: drop iam
            matches: [{ field_name: eventSource, equals: iam.amazonaws.com }]
        """;

    [Theory]
    [CodecData(Codecs.Zlib, OutputMode.Mirror)]
    [CodecData(Codecs.Zlib, OutputMode.Batch)]
    [CodecData(Codecs.Isal, OutputMode.Mirror)]
    [CodecData(Codecs.Isal, OutputMode.Batch)]
    public async Task RunAsync_BurstAndSlowFailures_FireOncePerBurstAddress_AndDroppedRecordsStillRaiseFindings(string codec, OutputMode mode)
    {
        // Given a burst of six failed logins from one address within two minutes, split over two files and out of
        // order; failed logins from two other addresses every two minutes (never five within five minutes); a root
        // API call and a privilege escalation, both dropped by the rules
        var t0 = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var burst = Enumerable.Range(0, 6).Select(i => FailedLogin("203.0.113.66", t0.AddSeconds(i * 20))).ToList();
        var slow = Enumerable.Range(0, 8).SelectMany(i => new[] { FailedLogin("198.51.100.1", t0.AddMinutes(i * 2)), FailedLogin("198.51.100.2", t0.AddMinutes((i * 2) + 1)) }).ToList();
        var root = RootCall(t0.AddMinutes(3));
        var escalation = Record("iam.amazonaws.com", "AttachUserPolicy", "198.51.100.9", t0.AddMinutes(4), "IAMUser");
        var kept = Quiet(t0.AddMinutes(4));
        var fileA = new[] { burst[5], burst[1], slow[0], slow[1], root, burst[3], kept }.Concat(slow.Skip(2).Take(6)).ToList();
        var fileB = new[] { burst[0], burst[4], escalation, burst[2] }.Concat(slow.Skip(8)).ToList();
        var rules = RuleSetLoader.Load(DroppingRules, "rules.yaml");
        var pipeline = PipelineHarness.DefaultPipeline();
        pipeline.Compression = Codecs.Choice(codec);
        var (harness, alerts) = Harness(mode, rules.WithDetections(Threats), pipeline: pipeline);

        // When both files are filtered
        await harness.RunAsync(
            PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document(fileA)),
            PipelineHarness.GzipObject("b.json.gz", OutputDocuments.Document(fileB)));

        // Then the filter output is what the rules alone make: only the root call and the S3 call are kept
        var output = harness.Sink.Committed.Keys.SelectMany(harness.Sink.RecordsOf).ToList();
        Assert.Equal(new[] { root, kept }.Order(StringComparer.Ordinal), output.Order(StringComparer.Ordinal));

        // And the findings: the burst address fires once, the slow ones never, the dropped records raise theirs
        var findings = Findings(alerts);
        var logins = findings.Where(f => f.GetProperty("detection").GetString() == "Repeated failed console logins").ToList();
        var login = Assert.Single(logins);
        var threshold = login.GetProperty("threshold");
        Assert.Equal("203.0.113.66", threshold.GetProperty("group").GetString());
        Assert.Equal(5, threshold.GetProperty("count").GetInt32());
        Assert.Equal("medium", login.GetProperty("severity").GetString());
        var rootFinding = Assert.Single(findings, f => f.GetProperty("detection").GetString() == "Root account usage");
        var escalationFinding = Assert.Single(findings, f => f.GetProperty("detection").GetString() == "Privilege escalation by a user or role");
        Assert.Equal(3, findings.Count);
        Assert.Equal("test://b.json.gz", escalationFinding.GetProperty("source").GetString());
        Assert.Equal("arn:aws:iam::111122223333:user/u", escalationFinding.GetProperty("principal").GetString());

        // And each finding holds its record's exact bytes
        Assert.Equal(root, rootFinding.GetProperty("record").GetRawText());
        Assert.Equal(escalation, escalationFinding.GetProperty("record").GetRawText());
        Assert.Contains(login.GetProperty("record").GetRawText(), burst);
        var lines = alerts.Committed.Values.Select(b => Encoding.UTF8.GetString(Gzip.Decompress(b))).ToList();
        Assert.Contains(lines, l => l.Contains(",\"record\":" + escalation + "}\n", StringComparison.Ordinal));

        // And findings sit under the alerts prefix by the day of the records, and both objects succeeded
        Assert.All(alerts.Committed.Keys, k => Assert.Matches(@"^alerts/2026/03/01/findings-[A-Za-z0-9]{16}\.jsonl\.gz$", k));
        Assert.All(harness.Outcomes, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
        Assert.Equal(3, harness.Counters.FindingCount);
        Assert.Equal(22, harness.Counters.DetectionHits["Repeated failed console logins"]);
    }

    [Fact]
    public async Task RunAsync_FindingWithoutEventTime_FiledUnderTheDayItIsWritten()
    {
        // Given a clock at 25 November 2026 and a root call whose record has no eventTime, beside one of 1 March
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 30, 0, TimeSpan.Zero));
        var (harness, alerts) = Harness(OutputMode.Mirror, KeepAllWithThreats(), time: time);
        var undated = Regex.Replace(RootCall(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), "\"eventTime\":\"[^\"]*\",", string.Empty);
        var dated = RootCall(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        // When they are filtered
        await harness.RunAsync(PipelineHarness.GzipObject("u.json.gz", OutputDocuments.Document([undated, dated])));

        // Then the undated finding is under the day it was written (not 0001/01/01), with a null eventTime; the
        // dated one under its record's day
        Assert.Equal(["alerts/2026/03/01/", "alerts/2026/11/25/"], alerts.Committed.Keys.Select(k => k[..18]).Order(StringComparer.Ordinal));
        var today = Assert.Single(Lines(alerts.Committed.Single(c => c.Key.StartsWith("alerts/2026/11/25/", StringComparison.Ordinal)).Value));
        var finding = JsonDocument.Parse(today).RootElement;
        Assert.Equal(JsonValueKind.Null, finding.GetProperty("eventTime").ValueKind);
        Assert.Equal(undated, finding.GetProperty("record").GetRawText());
        Assert.Equal(ObjectStatus.Succeeded, harness.OutcomeOf("u.json.gz").Status);
    }

    [Fact]
    public async Task RunAsync_FailedLoginsWithoutASourceAddress_FireNothing_AndAreCountedAsUngrouped()
    {
        // Given six failed console logins within a minute, none with a sourceIPAddress (the threshold's group_by)
        var t0 = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var logins = Enumerable.Range(0, 6).Select(i => Regex.Replace(FailedLogin("x", t0.AddSeconds(i * 10)), "\"sourceIPAddress\":\"x\",", string.Empty)).ToList();
        var (harness, alerts) = Harness(OutputMode.Mirror, KeepAllWithThreats());

        // When they are filtered
        await harness.RunAsync(PipelineHarness.GzipObject("n.json.gz", OutputDocuments.Document(logins)));

        // Then they hit the detection but make no group, so nothing fires, and each is counted
        Assert.Equal(6, harness.Counters.DetectionHits["Repeated failed console logins"]);
        Assert.Empty(Findings(alerts));
        Assert.Equal((6, 0), (harness.Counters.UngroupedHits, harness.Counters.LateHits));
    }

    [Fact]
    public async Task RunAsync_TagRule_KeepsTheRecordAndRaisesAFindingNamedAfterTheRule()
    {
        // Given a tag rule with a severity and one without
        var rules = RuleSetLoader.Load("""
            rules:
              - { name: CloudTrail tampering, action: tag, severity: critical, matches: [{ field_name: eventName, equals: StopLogging }] }
              - { name: Watch, action: tag, matches: [{ field_name: eventName, equals: DeleteTrail }] }
            """, "rules.yaml");
        var (harness, alerts) = Harness(OutputMode.Mirror, rules);
        var t0 = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var stop = Record("cloudtrail.amazonaws.com", "StopLogging", "198.51.100.3", t0, "IAMUser");
        var delete = Record("cloudtrail.amazonaws.com", "DeleteTrail", "198.51.100.3", t0, "IAMUser");

        // When the records are filtered
        await harness.RunAsync(PipelineHarness.GzipObject("t.json.gz", OutputDocuments.Document([stop, delete])));

        // Then both are kept and each raised a finding: rule name, its severity or medium
        Assert.Equal([stop, delete], harness.Sink.RecordsOf("t.json.gz"));
        var findings = Findings(alerts).ToDictionary(f => f.GetProperty("detection").GetString()!, f => f.GetProperty("severity").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["CloudTrail tampering"] = "critical", ["Watch"] = "medium" }, findings);
    }

    [Theory]
    [InlineData(OutputMode.Mirror)]
    [InlineData(OutputMode.Batch)]
    public async Task RunAsync_AlertsSinkFails_ObjectFails_AndItsMessageIsNotDeleted(OutputMode mode)
    {
        // Given an object announced by an SQS message, with a record a detection hits, and an alerts sink whose
        // commits fail
        var rules = RuleSetLoader.Load("rules: []", "rules.yaml").WithDetections(Threats);
        var (harness, alerts) = Harness(mode, rules);
        alerts.FailCommit = _ => true;
        using var registry = new InFlightRegistry(4, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(new QueueMessage("m1", "receipt", "{}", 1, null), 1, 0, DateTimeOffset.UnixEpoch);
        var root = RootCall(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        // When it is filtered
        await harness.RunAsync(PipelineHarness.GzipObject("o.json.gz", OutputDocuments.Document([root]), message));

        // Then the object failed on its findings, so its message is abandoned (left for redelivery), not deleted,
        // even though its filtered output was committed (mirror) or would have been (batch)
        var outcome = harness.OutcomeOf("o.json.gz");
        Assert.Equal(ObjectStatus.Failed, outcome.Status);
        Assert.Contains("findings", outcome.Error, StringComparison.Ordinal);
        Assert.Same(message, Assert.Single(harness.Abandoned));
        Assert.False(harness.Deletes.Reader.TryRead(out _));
        Assert.Empty(alerts.Committed);
    }

    [Fact]
    public async Task RunAsync_AlertsSinkWorks_MessageIsDeletedOnlyAfterFindingsCommit()
    {
        // Given the same object and message, with a working alerts sink that records the order of commits
        var rules = RuleSetLoader.Load("rules: []", "rules.yaml").WithDetections(Threats);
        var (harness, alerts) = Harness(OutputMode.Mirror, rules);
        var deletable = new List<bool>();
        using var registry = new InFlightRegistry(4, new FlushSignal());
        alerts.FailCommit = key =>
        {
            // At the findings commit, the message must not be settled yet.
            deletable.Add(harness.Deletes.Reader.TryPeek(out _));
            return false;
        };
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(new QueueMessage("m1", "receipt", "{}", 1, null), 1, 0, DateTimeOffset.UnixEpoch);
        var root = RootCall(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        // When it is filtered
        await harness.RunAsync(PipelineHarness.GzipObject("o.json.gz", OutputDocuments.Document([root]), message));

        // Then the message became deletable only after its findings were committed
        Assert.Equal([false], deletable);
        Assert.True(harness.Deletes.Reader.TryRead(out var ready));
        Assert.Same(message, ready);
        Assert.Single(alerts.Committed);
    }
}
