using TrailSieve.Core.Detections;

namespace TrailSieve.Core.Tests.Detections;

/// <summary><see cref="DetectionSet.WithSigmaMinimumLevel"/>: which detections stay, and which raise their own findings.</summary>
public class SigmaMinimumLevelTests
{
    private const string RuleSyntax = """
        detections:
          - name: Root sign-in
            severity: low
            matches: [{ field_name: userIdentity.type, equals: Root }]
        """;

    private const string Sigma = """
        title: Informational rule
        level: informational
        logsource: { product: aws, service: cloudtrail }
        detection: { selection: { eventName: A }, condition: selection }
        ---
        title: Rule without a level
        logsource: { product: aws, service: cloudtrail }
        detection: { selection: { eventName: B }, condition: selection }
        ---
        title: Critical rule
        level: critical
        logsource: { product: aws, service: cloudtrail }
        detection: { selection: { eventName: C }, condition: selection }
        ---
        title: Low rule
        name: low_rule
        level: low
        logsource: { product: aws, service: cloudtrail }
        detection: { selection: { eventName: D }, condition: selection }
        ---
        title: High correlation
        level: high
        correlation: { type: event_count, rules: [low_rule], group-by: [recipientAccountId], timespan: 5m, condition: { gte: 2 }, generate: true }
        """;

    private static DetectionSet Load() => DetectionSetLoader.LoadTexts([(RuleSyntax, "rules.yaml"), (Sigma, "sigma.yml")]);

    [Fact]
    public void Informational_IsTheSameSet()
    {
        var set = Load();
        Assert.Same(set, set.WithSigmaMinimumLevel(SigmaLevel.Informational));
    }

    [Fact]
    public void Medium_LeavesOutTheInformationalRule_CountsANoLevelRuleAsMedium_AndKeepsTheLowRuleQuietForItsCorrelation()
    {
        var set = Load().WithSigmaMinimumLevel(SigmaLevel.Medium);

        Assert.Equal(["Root sign-in", "Rule without a level", "Critical rule", "Low rule", "High correlation"], set.Detections.Select(d => d.Name));
        var low = set.Detections.ToList().FindIndex(d => d.Name == "Low rule");
        var correlation = set.Detections.ToList().FindIndex(d => d.Name == "High correlation");
        Assert.False(set.RaisesOwnFindings(low));
        Assert.Equal([correlation], set.CorrelationsFedBy(low).ToArray());
        Assert.True(set.RaisesOwnFindings(set.Detections.ToList().FindIndex(d => d.Name == "Critical rule")));
        Assert.Contains("1 Sigma rule(s) below level medium left out, 1 kept only for the correlations that read them", set.Warnings);
    }

    [Fact]
    public void Critical_LeavesOutEverySigmaRuleButTheCriticalOne_AndKeepsTheRuleSyntaxDetections()
    {
        var set = Load().WithSigmaMinimumLevel(SigmaLevel.Critical);

        Assert.Equal(["Root sign-in", "Critical rule"], set.Detections.Select(d => d.Name));
        Assert.All(Enumerable.Range(0, set.Detections.Count), i => Assert.True(set.RaisesOwnFindings(i)));
        Assert.Contains("4 Sigma rule(s) below level critical left out", set.Warnings);
    }
}
