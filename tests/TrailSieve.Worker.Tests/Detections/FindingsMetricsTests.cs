using TrailSieve.Worker.Tests.Diagnostics;

namespace TrailSieve.Worker.Tests.Detections;

/// <summary>
/// The CloudWatch side the deploy/ecs alarm relies on: metric Findings with dimensions Detection and Severity (lower
/// case), plus the threshold state's counters.
/// </summary>
public sealed class FindingsMetricsTests
{
    [Fact]
    public async Task FlushAsync_Findings_OneSeriesPerDetectionAndSeverity()
    {
        // Given findings of two detections and some threshold state changes
        using var harness = new EmfHarness();
        harness.Metrics.Finding("Root account usage", "high");
        harness.Metrics.Finding("Root account usage", "high");
        harness.Metrics.Finding("Repeated failed console logins", "medium");
        harness.Metrics.DetectionState(lateHits: 3, evictedGroups: 2, ungroupedHits: 4);

        // When the interval is flushed
        harness.Clock.Advance(TimeSpan.FromSeconds(60));
        var documents = await harness.FlushAsync();

        // Then Findings has exactly the dimensions Detection and Severity, one document per pair
        var findings = documents.Where(d => d.Metrics.ContainsKey("Findings")).ToList();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, d => Assert.Equal(["Detection", "Severity"], d.DimensionNames.Order(StringComparer.Ordinal)));
        var root = Assert.Single(findings, d => d.Dimensions["Detection"] == "Root account usage");
        Assert.Equal(("high", "Count", 2.0), (root.Dimensions["Severity"], root.Metrics["Findings"].Unit, root.Metrics["Findings"].Values.Single()));
        var logins = Assert.Single(findings, d => d.Dimensions["Detection"] == "Repeated failed console logins");
        Assert.Equal("medium", logins.Dimensions["Severity"]);

        // And the late hits, evicted groups and ungrouped hits are plain counts
        Assert.Equal(3.0, documents.Single(d => d.Metrics.ContainsKey("DetectionLateHits")).Metrics["DetectionLateHits"].Values.Single());
        Assert.Equal(2.0, documents.Single(d => d.Metrics.ContainsKey("DetectionGroupsEvicted")).Metrics["DetectionGroupsEvicted"].Values.Single());
        Assert.Equal(4.0, documents.Single(d => d.Metrics.ContainsKey("DetectionUngroupedHits")).Metrics["DetectionUngroupedHits"].Values.Single());
    }
}
