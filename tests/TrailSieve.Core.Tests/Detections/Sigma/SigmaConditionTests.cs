using TrailSieve.Core.Detections;
using static TrailSieve.Core.Tests.Detections.DetectionTestData;

namespace TrailSieve.Core.Tests.Detections.Sigma;

/// <summary>Sigma conditions: operators, precedence, parentheses and the quantifiers over selection names.</summary>
public sealed class SigmaConditionTests
{
    // Four selections on one letter each, so a record says which of them hold: {"a":1,"c":1} makes sel_a and sel_c true.
    private static bool Fires(string condition, string json) => Hits(With(Load($$"""
        title: condition test
        logsource: { product: aws, service: cloudtrail }
        detection:
          sel_a: { a: 1 }
          sel_b: { b: 1 }
          filter_c: { c: 1 }
          _hidden: { h: 1 }
          condition: {{condition}}
        """)), json).Count == 1;

    [Theory]
    [InlineData("sel_a and sel_b", """{"a":1,"b":1}""", true)]
    [InlineData("sel_a and sel_b", """{"a":1}""", false)]
    [InlineData("sel_a or sel_b", """{"b":1}""", true)]
    [InlineData("sel_a and not filter_c", """{"a":1}""", true)]
    [InlineData("sel_a and not filter_c", """{"a":1,"c":1}""", false)]
    [InlineData("not sel_a", """{"b":1}""", true)]
    [InlineData("NOT sel_a AND sel_b", """{"b":1}""", true)]
    public void Operators_CombineSelections(string condition, string json, bool expected) =>
        Assert.Equal(expected, Fires(condition, json));

    [Theory]
    [InlineData("sel_a or sel_b and filter_c", """{"a":1}""", true)]
    [InlineData("(sel_a or sel_b) and filter_c", """{"a":1}""", false)]
    [InlineData("(sel_a or sel_b) and filter_c", """{"b":1,"c":1}""", true)]
    [InlineData("not sel_a or sel_b", """{"a":1,"b":1}""", true)]
    [InlineData("not (sel_a or sel_b)", """{"a":1}""", false)]
    public void Precedence_NotThenAndThenOr_AndParenthesesOverride(string condition, string json, bool expected) =>
        Assert.Equal(expected, Fires(condition, json));

    [Theory]
    [InlineData("1 of sel_*", """{"b":1}""", true)]
    [InlineData("1 of sel_*", """{"c":1}""", false)]
    [InlineData("all of sel_*", """{"a":1,"b":1}""", true)]
    [InlineData("all of sel_*", """{"a":1}""", false)]
    [InlineData("sel_a and not 1 of filter*", """{"a":1,"c":1}""", false)]
    [InlineData("1 of them", """{"c":1}""", true)]
    [InlineData("1 of them", """{"h":1}""", false)]
    [InlineData("all of them", """{"a":1,"b":1,"c":1}""", true)]
    [InlineData("all of them", """{"a":1,"b":1}""", false)]
    [InlineData("1 of _hidden", """{"h":1}""", true)]
    public void Quantifiers_CoverTheNamesTheyMatch_ThemSkipsUnderscoreNames(string condition, string json, bool expected) =>
        Assert.Equal(expected, Fires(condition, json));

    [Fact]
    public void ConditionList_IsOr()
    {
        var rules = With(Load("""
            title: list
            logsource: { product: aws, service: cloudtrail }
            detection:
              one: { a: 1 }
              two: { b: 1 }
              condition: [one, two]
            """));
        Assert.Single(Hits(rules, """{"b":1}"""));
        Assert.Empty(Hits(rules, """{"c":1}"""));
    }

    [Theory]
    [InlineData("sel_a and", "the condition ends where a selection")]
    [InlineData("and sel_a", "needs a selection before it")]
    [InlineData("sel_x", "'sel_x' is not a selection of this rule")]
    [InlineData("1 of nothing_*", "matches no selection")]
    [InlineData("(sel_a", "'(' is not closed")]
    [InlineData("sel_a sel_b", "unexpected 'sel_b'")]
    [InlineData("2 of sel_*", "use '1 of' or 'all of'")]
    [InlineData("sel_a | count() > 5", "write a correlation rule")]
    public void BadCondition_IsAnErrorNamingTheRuleAndTheReason(string condition, string reason)
    {
        var error = Assert.Throws<Core.Rules.RuleValidationException>(() => Fires(condition, "{}"));
        var message = Assert.Single(error.Errors);
        Assert.Contains("sigma rule 'condition test': detection.condition:", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains("(line ", message, StringComparison.Ordinal);
    }
}
