using System.Text;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.Detections;

internal static class DetectionTestData
{
    public static string PacksFolder { get; } = Path.Combine(RepoPaths.Root, "rules", "detections");

    public static DetectionSet Load(string yaml) => DetectionSetLoader.Load(yaml, "test-detections.yaml");

    public static RuleValidationException Reject(string yaml) =>
        Assert.Throws<RuleValidationException>(() => Load(yaml));

    /// <summary>Keep-all rules with <paramref name="detections"/> taken in.</summary>
    public static CompiledRuleSet With(DetectionSet detections, string rulesYaml = "rules: []") =>
        RuleSetLoader.Load(rulesYaml, "rules.yaml").WithDetections(detections);

    /// <summary>The names of the detections that hit <paramref name="json"/>.</summary>
    public static List<string> Hits(CompiledRuleSet rules, string json) => Hits(rules, Encoding.UTF8.GetBytes(json));

    public static List<string> Hits(CompiledRuleSet rules, byte[] record)
    {
        var hits = new int[rules.DetectionCount];
        rules.Evaluate(record, out _, hits, out var count);
        return [.. hits.AsSpan(0, count).ToArray().Select(i => rules.DetectionSet.Detections[i].Name)];
    }
}
