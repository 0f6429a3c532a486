using System.Text;
using System.Text.Json;
using TrailSieve.Core.Detections;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections;

public sealed class DetectionEngineTests
{
    private static readonly DetectionSet s_set = Load("""
        detections:
          - { name: plain, severity: low, matches: [{ field_name: eventName, equals: X }] }
          - name: twice
            severity: high
            matches: [{ field_name: eventName, equals: X }]
            threshold: { count: 2, window: 1m, group_by: [userIdentity.arn, sourceIPAddress] }
        """);

    private static (int Late, int Evicted, int Ungrouped, ChunkFindings Raised) Raise(DetectionEngine engine, string json)
    {
        var rules = With(s_set);
        var record = Encoding.UTF8.GetBytes(json);
        var hits = new int[rules.DetectionCount];
        rules.Evaluate(record, out var fields, hits, out var count);
        var findings = new ChunkFindings();
        var (late, evicted, ungrouped) = engine.Raise(rules.DetectionSet, record, fields, hits.AsSpan(0, count), "file.json", findings);
        return (late, evicted, ungrouped, findings);
    }

    private static string Record(string time, string id, string ip = "198.51.100.1") => RecordWith(time, id, $"\"sourceIPAddress\":\"{ip}\",");

    /// <summary>A record the threshold detection hits, with <paramref name="source"/> (a sourceIPAddress member and comma, or none).</summary>
    private static string RecordWith(string time, string id, string source) =>
        $$"""{"eventName":"X","eventTime":"{{time}}","eventID":"{{id}}",{{source}}"userIdentity":{"arn":"arn:aws:iam::1:user/a"},"recipientAccountId":"111122223333"}""";

    [Fact]
    public void Raise_PlainAndThreshold_PlainOnEveryHit_ThresholdOnTheCount()
    {
        // Given an engine and two records a plain and a threshold detection both hit
        var engine = new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 10));

        // When they are raised in turn
        var first = Raise(engine, Record("2026-03-01T10:00:00Z", "a"));
        var second = Raise(engine, Record("2026-03-01T10:00:30Z", "b"));

        // Then the plain detection raised one finding per record, the threshold one with the second
        Assert.Equal(["plain"], first.Raised.Findings.Select(f => f.Detection.Name));
        Assert.Equal(["plain", "twice"], second.Raised.Findings.Select(f => f.Detection.Name));
        var finding = second.Raised.Findings[1];
        Assert.Equal(("b", "111122223333", new DateOnly(2026, 3, 1)), (finding.EventId, finding.Account, finding.Day));
        using var line = JsonDocument.Parse(second.Raised.LineOf(finding));
        var threshold = line.RootElement.GetProperty("threshold");
        Assert.Equal("arn:aws:iam::1:user/a|198.51.100.1", threshold.GetProperty("group").GetString());
        Assert.Equal("2026-03-01T10:00:00Z", threshold.GetProperty("windowStart").GetString());
        Assert.Equal("2026-03-01T10:00:30Z", threshold.GetProperty("windowEnd").GetString());
    }

    [Fact]
    public void Raise_ThresholdHitWithoutEventTime_CountsAsLate()
    {
        // Given an engine
        var engine = new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 10));

        // When a record without a parsable eventTime hits
        var result = Raise(engine, Record("yesterday", "a"));

        // Then the plain detection still raised its finding, without a day, and the threshold hit is counted as late
        Assert.Equal(1, result.Late);
        Assert.Equal(["plain"], result.Raised.Findings.Select(f => f.Detection.Name));
        Assert.Null(result.Raised.Findings[0].Day);
    }

    [Theory]
    [InlineData("")] // no sourceIPAddress
    [InlineData("\"sourceIPAddress\":null,")]
    [InlineData("\"sourceIPAddress\":{\"v\":\"198.51.100.1\"},")]
    public void Raise_ThresholdHitsWithoutAGroupByValue_BelongToNoGroup_AndAreCounted(string source)
    {
        // Given an engine and three records of one user within the window, none with a sourceIPAddress value
        var engine = new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 10));

        // When they are raised
        var results = new[] { "a", "b", "c" }.Select((id, i) => Raise(engine, RecordWith($"2026-03-01T10:00:0{i}Z", id, source))).ToList();

        // Then the threshold never fires (they are not one group of "no address"), each hit is counted as ungrouped,
        // none as late, and the plain detection still raises its finding for every record
        Assert.All(results, r => Assert.Equal((0, 1), (r.Late, r.Ungrouped)));
        Assert.All(results, r => Assert.Equal(["plain"], r.Raised.Findings.Select(f => f.Detection.Name)));
    }

    [Fact]
    public void Raise_ThresholdHitsWithAnEmptyGroupByValue_AreAGroup()
    {
        // Given an engine and two records of one user within the window whose sourceIPAddress is the empty string
        var engine = new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 10));

        // When they are raised
        var first = Raise(engine, Record("2026-03-01T10:00:00Z", "a", ip: ""));
        var second = Raise(engine, Record("2026-03-01T10:00:30Z", "b", ip: ""));

        // Then the empty string is a value like any other: the pair fires, grouped under it
        Assert.Equal((0, 0), (first.Ungrouped, second.Ungrouped));
        var finding = Assert.Single(second.Raised.Findings, f => f.Detection.Name == "twice");
        using var line = JsonDocument.Parse(second.Raised.LineOf(finding));
        Assert.Equal("arn:aws:iam::1:user/a|", line.RootElement.GetProperty("threshold").GetProperty("group").GetString());
    }

    [Fact]
    public void RaiseTag_NamesTheRuleAndDefaultsToMedium()
    {
        // Given a tag rule's hit without a severity
        var findings = new ChunkFindings();
        var record = Encoding.UTF8.GetBytes(Record("2026-03-01T10:00:00Z", "t"));
        var rules = Core.Rules.RuleSetLoader.Load("rules: []", "r.yaml");
        rules.Evaluate(record, out var fields);

        // When its finding is raised
        DetectionEngine.RaiseTag("Watch StopLogging", null, record, fields, "file.json", findings);

        // Then it is named after the rule, medium
        var finding = Assert.Single(findings.Findings);
        Assert.Equal(("Watch StopLogging", "medium"), (finding.Detection.Name, finding.Detection.Severity));
        Assert.EndsWith("\n", Encoding.UTF8.GetString(findings.LineOf(finding).Span), StringComparison.Ordinal);
    }
}
