using System.Text;
using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Tests.Rules;

internal static class RuleTestData
{
    public static CompiledRuleSet Load(string yaml) => RuleSetLoader.Load(yaml, "test.yaml");

    public static RuleDecision Evaluate(CompiledRuleSet rules, string json) =>
        rules.Evaluate(Encoding.UTF8.GetBytes(json), out _);

    public static RuleAction Action(CompiledRuleSet rules, string json) => Evaluate(rules, json).Action;

    /// <summary>A one-rule set with a single match whose body is <paramref name="matchBody"/> (YAML flow mapping entries).</summary>
    public static CompiledRuleSet OneMatch(string matchBody) => Load($$"""
        rules:
          - name: r
            matches:
              - { {{matchBody}} }
        """);

    public static RuleValidationException Reject(string yaml) =>
        Assert.Throws<RuleValidationException>(() => Load(yaml));
}
