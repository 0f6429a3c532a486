using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections;

public sealed class DetectionSetLoaderTests
{
    [Fact]
    public void Load_FullDetection_DescribesEveryPart()
    {
        // Given a detection with every key
        var yaml = """
            version: 1.0.0
            detections:
              - name: Brute force
                severity: HIGH
                description: Many failures
                matches:
                  - { field_name: eventName, equals: ConsoleLogin }
                threshold: { count: 5, window: 5m, group_by: [sourceIPAddress, userIdentity.arn] }
              - name: Root
                severity: critical
                matches:
                  - { field_name: userIdentity.type, equals: Root }
            """;

        // When it is loaded
        var set = Load(yaml);

        // Then names, severities (lower case), descriptions and thresholds are as written
        Assert.Equal(2, set.Detections.Count);
        var brute = set.Detections[0];
        Assert.Equal(("Brute force", "high", "Many failures", "test-detections.yaml"), (brute.Name, brute.Severity, brute.Description, brute.Source));
        Assert.Equal(5, brute.Threshold!.Count);
        Assert.Equal(TimeSpan.FromMinutes(5), brute.Threshold.Window);
        Assert.Equal(["sourceIPAddress", "userIdentity.arn"], brute.Threshold.GroupBy);
        Assert.Equal(("critical", ""), (set.Detections[1].Severity, set.Detections[1].Description));
        Assert.Null(set.Detections[1].Threshold);
        Assert.Empty(set.Warnings);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("1h", 3600)]
    [InlineData("1d", 86400)]
    [InlineData("00:02:30", 150)]
    public void Load_WindowSpellings_Parse(string window, int seconds)
    {
        // Given a threshold window in one of its spellings
        var yaml = $$"""
            detections:
              - name: d
                severity: low
                matches: [{ field_name: eventName, equals: x }]
                threshold: { count: 2, window: "{{window}}" }
            """;

        // When it is loaded
        var set = Load(yaml);

        // Then the window is that long
        Assert.Equal(TimeSpan.FromSeconds(seconds), set.Detections[0].Threshold!.Window);
    }

    [Theory]
    [InlineData("severity: low", "matches: at least one match is required")]
    [InlineData("matches: [{ field_name: eventName, equals: x }]", "severity: missing (give low, medium, high or critical)")]
    [InlineData("severity: urgent\n    matches: [{ field_name: eventName, equals: x }]", "severity: unknown value 'urgent'")]
    [InlineData("severity: low\n    matches: [{ field_name: eventName, regex: '(' }]", "matches[0].regex: invalid regex")]
    [InlineData("severity: low\n    matches: [{ field_name: sourceIPAddress, cidr: ['10.0.0.0/40'] }]", "matches[0].cidr: '10.0.0.0/40' is not a network")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: { count: 0, window: 5m }", "threshold.count: '0' must be a whole number from 1")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: { count: five, window: 5m }", "threshold.count: 'five'")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: { count: 5, window: 5 }", "threshold.window: '5' must be a duration")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: { count: 5, window: 2d }", "at most 1 day")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: { count: 5 }", "threshold.window: ''")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: { count: 5, window: 5m, group_by: ['a..b'] }", "threshold.group_by: invalid field path 'a..b'")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: { count: 5, window: 5m, group_by: ['resources[].ARN'] }", "traverses an array")]
    [InlineData("severity: low\n    matches: [{ field_name: x, equals: y }]\n    threshold: 5", "threshold: expected a mapping")]
    public void Load_InvalidDetection_NamesFileDetectionAndReason(string body, string expected)
    {
        // Given a detection file with one problem
        var yaml = $"detections:\n  - name: bad one\n    {body}\n";

        // When it is loaded
        var ex = Reject(yaml);

        // Then the error names the file, the detection and the reason
        Assert.StartsWith("test-detections.yaml: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Errors, e => e.StartsWith("detections[0] 'bad one'", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DuplicateNames_AreAnError()
    {
        // Given two detections with one name
        var yaml = """
            detections:
              - { name: d, severity: low, matches: [{ field_name: a, equals: b }] }
              - { name: d, severity: low, matches: [{ field_name: a, equals: c }] }
            """;

        // When it is loaded
        var ex = Reject(yaml);

        // Then the second is reported
        Assert.Contains(ex.Errors, e => e.Contains("detections[1] 'd': name: duplicate detection name (first used by detections[0])", StringComparison.Ordinal));
    }

    [Fact]
    public void Combine_SameNameInTwoFiles_IsAnErrorNamingBothFiles()
    {
        // Given two detection files that both define "d"
        var first = DetectionSetLoader.Load("detections: [{ name: d, severity: low, matches: [{ field_name: a, equals: b }] }]", "one.yaml");
        var second = DetectionSetLoader.Load("detections: [{ name: d, severity: high, matches: [{ field_name: a, equals: c }] }]", "two.yaml");

        // When they are combined
        var ex = Assert.Throws<RuleValidationException>(() => DetectionSetLoader.Combine([first, second]));

        // Then the error names both files
        Assert.Contains(ex.Errors, e => e.Contains("'d' of two.yaml", StringComparison.Ordinal) && e.Contains("one.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_RulesFileAsDetections_AndDetectionsFileAsRules_SayWhichIsWhich()
    {
        // Given a rules file and a detection file
        const string rules = "rules: [{ name: r, matches: [{ field_name: a, equals: b }] }]";
        const string detections = "detections: [{ name: d, severity: low, matches: [{ field_name: a, equals: b }] }]";

        // When each is loaded as the other kind
        var asDetections = Reject(rules);
        var asRules = Assert.Throws<RuleValidationException>(() => RuleSetLoader.Load(detections, "d.yaml"));

        // Then both errors say where the list belongs
        Assert.Contains(asDetections.Errors, e => e.Contains("a detection file has a 'detections' list, not 'rules'", StringComparison.Ordinal));
        Assert.Contains(asRules.Errors, e => e.Contains("'detections' belongs in a detection file (--detections)", StringComparison.Ordinal));
        Assert.True(DetectionSetLoader.IsDetectionFile(detections));
        Assert.False(DetectionSetLoader.IsDetectionFile(rules));
        Assert.False(DetectionSetLoader.IsDetectionFile("not: [valid"));
    }

    [Fact]
    public void Load_UnknownKeysAndRuleOnlyKeys_AreWarnings()
    {
        // Given a detection with an action (a rule key) and an unknown threshold key
        var yaml = """
            detections:
              - name: d
                severity: low
                action: drop
                matches: [{ field_name: a, equals: b }]
                threshold: { count: 2, window: 1m, per: x }
            """;

        // When it is loaded
        var set = Load(yaml);

        // Then each is a warning naming the file, the detection and the key
        Assert.Contains(set.Warnings, w => w.StartsWith("test-detections.yaml: detections[0] 'd': unknown key 'action'", StringComparison.Ordinal));
        Assert.Contains(set.Warnings, w => w.Contains("threshold: unknown key 'per'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TagRuleWithUnknownSeverity_IsARuleError()
    {
        // Given a tag rule whose severity is not one of the four
        var yaml = "rules: [{ name: t, action: tag, severity: severe, matches: [{ field_name: a, equals: b }] }]";

        // When it is loaded
        var ex = Assert.Throws<RuleValidationException>(() => RuleSetLoader.Load(yaml, "r.yaml"));

        // Then it is rejected, naming the rule
        Assert.Contains(ex.Errors, e => e.Contains("rules[0] 't': severity: unknown value 'severe'", StringComparison.Ordinal));
    }
}
