using System.Text;
using System.Text.Json;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections.Sigma;

/// <summary>Sigma correlation rules on the threshold machinery: event_count, value_count, temporal, generate, references.</summary>
public sealed class SigmaCorrelationTests
{
    private const string FailedLogin = """
        title: Failed console login (test)
        name: failed_login
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection: { eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure }
          condition: selection
        level: low
        """;

    private static string Login(int id, string minute, string ip, string user, string outcome = "Failure") =>
        $$$"""{"eventID":"l{{{id}}}","eventTime":"2024-05-01T10:{{{minute}}}:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","recipientAccountId":"111122223333","sourceIPAddress":"{{{ip}}}","userIdentity":{"type":"IAMUser","userName":"{{{user}}}"},"responseElements":{"ConsoleLogin":"{{{outcome}}}"}}""";

    /// <summary>Every finding the records raise, in order: (detection, threshold count or 0, the eventID of the record that raised it).</summary>
    private static List<(string Detection, int Count, string EventId)> Run(DetectionSet set, params string[] records)
    {
        var rules = With(set);
        var engine = new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 1000));
        var raised = new List<(string, int, string)>();
        foreach (var json in records)
        {
            var record = Encoding.UTF8.GetBytes(json);
            var hits = new int[rules.DetectionCount];
            rules.Evaluate(record, out var fields, hits, out var count);
            var findings = new ChunkFindings();
            engine.Raise(set, record, fields, hits.AsSpan(0, count), "test", findings);
            foreach (var finding in findings.Findings)
            {
                using var line = JsonDocument.Parse(findings.Lines.Slice(finding.Start, finding.Length));
                raised.Add((finding.Detection.Name, line.RootElement.TryGetProperty("threshold", out var threshold) ? threshold.GetProperty("count").GetInt32() : 0, finding.EventId));
            }
        }

        return raised;
    }

    [Fact]
    public void EventCount_FiresPerGroupAtTheCount_AndTheRuleStaysQuiet()
    {
        var set = Load(FailedLogin + """

            ---
            title: Three failed logins from one address (test)
            correlation:
              type: event_count
              rules: [failed_login]
              group-by: [sourceIPAddress]
              timespan: 5m
              condition: { gt: 2 }
            level: high
            """);

        var raised = Run(set,
            Login(1, "00", "198.51.100.1", "a"), Login(2, "01", "198.51.100.1", "b"), Login(3, "02", "203.0.113.9", "a"),
            Login(4, "03", "198.51.100.1", "c"), Login(5, "04", "198.51.100.1", "c", "Success"));

        Assert.Equal([("Three failed logins from one address (test)", 3, "l4")], raised);
        Assert.Equal(Severity.High, set.Detections[1].Severity);
    }

    [Fact]
    public void Generate_True_KeepsTheRulesOwnFindings()
    {
        var set = Load(FailedLogin + """

            ---
            title: Two failed logins (test)
            correlation: { type: event_count, rules: [failed_login], group-by: [sourceIPAddress], timespan: 5m, condition: { gte: 2 }, generate: true }
            """);

        var raised = Run(set, Login(1, "00", "198.51.100.1", "a"), Login(2, "01", "198.51.100.1", "b"));

        Assert.Equal([("Failed console login (test)", 0, "l1"), ("Failed console login (test)", 0, "l2"), ("Two failed logins (test)", 2, "l2")], raised);
    }

    [Fact]
    public void ValueCount_CountsDistinctValuesOfItsField()
    {
        var set = Load(FailedLogin + """

            ---
            title: One address tries three users (test)
            correlation:
              type: value_count
              rules: [failed_login]
              group-by: [sourceIPAddress]
              timespan: 10m
              condition: { field: userIdentity.userName, gte: 3 }
            """);

        // Four failures of two users do not fire; a third user does.
        var raised = Run(set,
            Login(1, "00", "198.51.100.1", "a"), Login(2, "01", "198.51.100.1", "a"), Login(3, "02", "198.51.100.1", "b"),
            Login(4, "03", "198.51.100.1", "b"), Login(5, "04", "198.51.100.1", "c"));

        Assert.Equal([("One address tries three users (test)", 3, "l5")], raised);
    }

    [Fact]
    public void Temporal_NeedsEveryRuleInTheWindow()
    {
        var set = Load(FailedLogin + """

            ---
            title: Login succeeded (test)
            name: login_ok
            logsource: { product: aws, service: cloudtrail }
            detection:
              selection: { eventName: ConsoleLogin, responseElements.ConsoleLogin: Success }
              condition: selection
            ---
            title: Failure then success from one address (test)
            correlation:
              type: temporal
              rules: [failed_login, login_ok]
              group-by: [sourceIPAddress]
              timespan: 5m
            """);

        var raised = Run(set,
            Login(1, "00", "198.51.100.1", "a"), Login(2, "01", "198.51.100.1", "a"),
            Login(3, "02", "203.0.113.9", "a", "Success"),
            Login(4, "20", "198.51.100.1", "a", "Success"),
            Login(5, "21", "198.51.100.1", "a"));

        // Two failures alone are not both rules; a success from another address is another group; the success at :20
        // is 19 minutes after the failures, and the failure at :21 completes a window with it.
        Assert.Equal([("Failure then success from one address (test)", 2, "l5")], raised);
    }

    [Fact]
    public void Correlation_MayNameARuleOfAnotherFile_WhenLoadedTogether()
    {
        var correlation = "title: C\ncorrelation: { type: event_count, rules: [failed_login], group-by: [sourceIPAddress], timespan: 5m, condition: { gte: 2 } }\n";

        var together = DetectionSetLoader.LoadTexts([(FailedLogin, "rules.yml"), (correlation, "correlations.yml")]);
        var alone = Assert.Throws<RuleValidationException>(() => DetectionSetLoader.Load(correlation, "correlations.yml"));

        Assert.Equal([1], together.CorrelationsFedBy(0).ToArray());
        Assert.False(together.RaisesOwnFindings(0));
        Assert.Contains("correlations.yml: sigma rule 'C': correlation.rules: 'failed_login' is the name or id of no loaded Sigma rule", Assert.Single(alone.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ type: temporal_ordered, rules: [a], group-by: [x], timespan: 5m }", "temporal_ordered is not supported")]
    [InlineData("{ type: event_count, rules: [a], group-by: [x], timespan: 5m, condition: { lt: 3 } }", "a stream can only fire when a count is reached")]
    [InlineData("{ type: event_count, rules: [a], group-by: [x], timespan: 2d, condition: { gte: 3 } }", "correlation.timespan: '2d' must be a duration above 0 and at most 1 day")]
    [InlineData("{ type: value_count, rules: [a], group-by: [x], timespan: 5m, condition: { gte: 3 } }", "value_count needs the field")]
    [InlineData("{ type: event_count, rules: [], group-by: [x], timespan: 5m, condition: { gte: 3 } }", "at least one rule name or id is required")]
    [InlineData("{ type: event_count, rules: [a], group-by: [x], timespan: 5m, condition: { gte: 3 }, aliases: { f: { a: x } } }", "correlation.aliases: not supported")]
    [InlineData("{ type: sum, rules: [a], timespan: 5m }", "correlation.type: 'sum'")]
    public void BadCorrelation_IsAnErrorNamingTheKey(string correlation, string reason)
    {
        var error = Reject($"title: C\ncorrelation: {correlation}\n");
        Assert.Contains(error.Errors, e => e.StartsWith("sigma rule 'C': correlation", StringComparison.Ordinal) && e.Contains(reason, StringComparison.Ordinal));
    }
}
