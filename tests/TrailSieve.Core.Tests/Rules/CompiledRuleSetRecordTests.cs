using System.Text;
using System.Text.Json;
using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Rules.RuleTestData;

namespace TrailSieve.Core.Tests.Rules;

public sealed class CompiledRuleSetRecordTests
{
    private static string Text(byte[] record, Range range) => Encoding.UTF8.GetString(record.AsSpan()[range]);

    [Fact]
    public void Evaluate_TopLevelEvaluatedFields_CapturesValueRangesWithoutQuotes()
    {
        // Given a record whose nested objects repeat the evaluated fields' names
        var record = Encoding.UTF8.GetBytes("""
            {"eventTime":"2024-01-02T03:04:05Z","requestParameters":{"awsRegion":"eu-west-9","eventID":"nested"},
             "awsRegion":"us-east-1","eventID":"e-1","recipientAccountId":"123456789012",
             "userIdentity":{"accountId":"999999999999"}}
            """);

        // When it is evaluated with no rules
        CompiledRuleSet.KeepAll.Evaluate(record, out var fields);

        // Then each range covers the top-level string value only
        Assert.Equal("123456789012", Text(record, fields.RecipientAccountId));
        Assert.Equal("us-east-1", Text(record, fields.AwsRegion));
        Assert.Equal("2024-01-02T03:04:05Z", Text(record, fields.EventTime));
        Assert.Equal("e-1", Text(record, fields.EventId));
    }

    [Fact]
    public void Evaluate_NoRecipientAccountId_FallsBackToUserIdentityAccountId()
    {
        // Given a record without recipientAccountId
        var record = Encoding.UTF8.GetBytes("""{"userIdentity":{"type":"IAMUser","accountId":"111122223333"},"awsRegion":7}""");

        // When it is evaluated
        CompiledRuleSet.KeepAll.Evaluate(record, out var fields);

        // Then the account comes from userIdentity, and absent or non-string fields are default(Range)
        Assert.Equal("111122223333", Text(record, fields.RecipientAccountId));
        Assert.Equal(default, fields.AwsRegion);
        Assert.Equal(default, fields.EventTime);
        Assert.Equal(default, fields.EventId);
    }

    [Fact]
    public void Evaluate_EvaluatedFieldAlsoUsedByRule_CapturesBoth()
    {
        // Given a rule on awsRegion, an evaluated field
        var rules = OneMatch("field_name: awsRegion, equals: us-east-1");
        var record = Encoding.UTF8.GetBytes("""{"awsRegion":"us-east-1"}""");

        // When it is evaluated
        var decision = rules.Evaluate(record, out var fields);

        // Then the rule hits and the range is captured
        Assert.Equal(RuleAction.Drop, decision.Action);
        Assert.Equal("us-east-1", Text(record, fields.AwsRegion));
    }

    [Theory]
    [InlineData("""{"eventName":"x" """)]
    [InlineData("""{"eventName":}""")]
    [InlineData("""{"a":{"b":[1,2,}}""")]
    [InlineData("""{"a":1} {"b":2}""")]
    [InlineData("""[{"a":1}]""")]
    [InlineData("")]
    [InlineData("""{"skipped":{"deep":[tru]}}""")]
    public void Evaluate_InvalidJson_ThrowsJsonException(string json)
    {
        // Given invalid or non-object JSON (including inside subtrees no rule reads)
        var record = Encoding.UTF8.GetBytes(json);

        // When it is evaluated, even with no rules
        var keepAll = Record.Exception(() => CompiledRuleSet.KeepAll.Evaluate(record, out _));
        var ruled = Record.Exception(() => OneMatch("field_name: eventName, regex: x").Evaluate(record, out _));

        // Then the single pass rejects it
        Assert.IsAssignableFrom<JsonException>(keepAll);
        Assert.IsAssignableFrom<JsonException>(ruled);
    }

    [Fact]
    public void KeepAll_AnyRecord_KeepsWithDefaultDecision()
    {
        // Given the empty rule set
        var rules = CompiledRuleSet.KeepAll;

        // When a record is evaluated
        var decision = Evaluate(rules, """{"eventName":"Decrypt"}""");

        // Then it is kept by default_action
        Assert.Equal(new RuleDecision(RuleAction.Keep, -1), decision);
        Assert.Empty(rules.RuleNames);
        Assert.Empty(rules.Warnings);
    }
}
