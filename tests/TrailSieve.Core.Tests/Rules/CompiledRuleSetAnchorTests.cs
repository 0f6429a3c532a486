using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Rules.RuleTestData;

namespace TrailSieve.Core.Tests.Rules;

/// <summary>Facts pinned from the two Go Lambdas' own tests, so their rule files filter identically here.</summary>
public sealed class CompiledRuleSetAnchorTests
{
    private const string CheckKmsBoogy = """
        version: 1.0.0
        rules:
          - name: check_kms
            matches:
            - field_name: eventName
              regex: ".*crypt"
            - field_name: eventSource
              regex: "kms.*"
          - name: check_complex
            matches:
            - field_name: eventName
              regex: "AssumeRole$"
            - field_name: userIdentity.sessionContext.sessionIssuer.arn
              regex: "arn:aws:iam::.*:role/cloudquery.*"
          - name: check only 2 matches - this event should not match
            matches:
            - field_name: eventName
              regex: "^AssumeRole$"
            - field_name: eventSource
              regex: "sts.amazonaws.com"
            - field_name: userIdentity.sessionContext.sessionIssuer.does-not-exist
              regex: "arn:aws:iam::.*:user/cloudquery.*"
        """;

    private const string AssumeRoleByCloudquery = """
        {"eventName":"AssumeRole","eventSource":"sts.amazonaws.com","awsRegion":"us-west-2",
         "recipientAccountId":"123456789012",
         "userIdentity":{"accountId":"123456789012","arn":"arn:aws:sts::123456789012:assumed-role/cloudquery-ro/cloudquery",
           "sessionContext":{"attributes":{"mfaAuthenticated":"false"},
             "sessionIssuer":{"accountId":"123456789012","arn":"arn:aws:iam::123456789012:role/cloudquery","type":"Role"}}}}
        """;

    [Fact]
    public void Evaluate_CheckKmsWithKmsSource_Drops()
    {
        // Given the anchors' check_kms rule (eventName '.*crypt' AND eventSource 'kms.*')
        var rules = Load(CheckKmsBoogy);

        // When an Encrypt by kms.amazonaws.com is evaluated
        var decision = Evaluate(rules, """{"eventName":"Encrypt","eventSource":"kms.amazonaws.com"}""");

        // Then check_kms drops it
        Assert.Equal(new RuleDecision(RuleAction.Drop, 0), decision);
    }

    [Fact]
    public void Evaluate_CheckKmsWithLogsSource_Keeps()
    {
        // Given check_kms
        var rules = Load(CheckKmsBoogy);

        // When an Encrypt by logs.amazonaws.com is evaluated
        var decision = Evaluate(rules, """{"eventName":"Encrypt","eventSource":"logs.amazonaws.com"}""");

        // Then no rule hits and the record is kept
        Assert.Equal(new RuleDecision(RuleAction.Keep, -1), decision);
    }

    [Fact]
    public void Evaluate_WolfeidauMatchesKey_LoadsAndFiltersLikeRegex()
    {
        // Given wolfeidau's format, which spells the regex 'matches' and has no version
        var rules = Load("""
            ---
            rules:
              - name: check_kms
                matches:
                - field_name: eventName
                  matches: ".*crypt"
                - field_name: eventSource
                  matches: "kms.*"
            """);

        // When the anchor's two events are evaluated
        var kms = Action(rules, """{"eventName":"Encrypt","eventSource":"kms.amazonaws.com"}""");
        var logs = Action(rules, """{"eventName":"Encrypt","eventSource":"logs.amazonaws.com"}""");

        // Then it behaves like the regex key and reports no warnings
        Assert.Equal(RuleAction.Drop, kms);
        Assert.Equal(RuleAction.Keep, logs);
        Assert.Empty(rules.Warnings);
        Assert.Null(rules.Version);
    }

    [Fact]
    public void Evaluate_NestedSessionIssuerArn_DropsCloudqueryAssumeRole()
    {
        // Given the anchor's check_complex rule on userIdentity.sessionContext.sessionIssuer.arn
        var rules = Load(CheckKmsBoogy);

        // When an AssumeRole by role cloudquery is evaluated
        var decision = Evaluate(rules, AssumeRoleByCloudquery);

        // Then check_complex drops it
        Assert.Equal(new RuleDecision(RuleAction.Drop, 1), decision);
    }

    [Fact]
    public void Evaluate_NestedArnOfOtherRole_Keeps()
    {
        // Given check_complex
        var rules = Load(CheckKmsBoogy);

        // When the issuer is a different role (and eventName is missing)
        var decision = Evaluate(rules, """
            {"userIdentity":{"sessionContext":{"sessionIssuer":{"accountId":"123456789012",
              "arn":"arn:aws:iam::123456789012:role/not-the-user-youre-looking-for-cloudquery"}}}}
            """);

        // Then nothing hits
        Assert.Equal(RuleAction.Keep, decision.Action);
    }

    [Fact]
    public void Evaluate_MatchOnMissingPath_Keeps()
    {
        // Given only the third anchor rule, whose last match names a path the event lacks
        var rules = Load("""
            rules:
              - name: needs-missing
                matches:
                - field_name: eventName
                  regex: "^AssumeRole$"
                - field_name: eventSource
                  regex: "sts.amazonaws.com"
                - field_name: userIdentity.sessionContext.sessionIssuer.does-not-exist
                  regex: "arn:aws:iam::.*:user/cloudquery.*"
            """);

        // When the cloudquery AssumeRole is evaluated
        var decision = Evaluate(rules, AssumeRoleByCloudquery);

        // Then the missing field never matches and the record is kept
        Assert.Equal(new RuleDecision(RuleAction.Keep, -1), decision);
    }

    [Fact]
    public void Evaluate_DryRunOverFourEvents_DropsThreeWithPerRuleHits()
    {
        // Given boogy's dry-run example: R1 eventName ^Test.*$ and R2 eventSource ec2.amazonaws.com
        var rules = Load("""
            version: 1.0.0
            rules:
              - name: R1
                matches:
                  - field_name: eventName
                    regex: "^Test.*$"
              - name: R2
                matches:
                  - field_name: eventSource
                    regex: "ec2.amazonaws.com"
            """);
        string[] events =
        [
            """{"eventName":"TestEvent","eventSource":"test.amazonaws.com"}""",
            """{"eventName":"CreateBucket","eventSource":"s3.amazonaws.com"}""",
            """{"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com"}""",
            """{"eventName":"TestAnother","eventSource":"lambda.amazonaws.com"}""",
        ];

        // When every event is evaluated and hits are counted per rule
        var hits = new int[rules.RuleNames.Count];
        var dropped = 0;
        foreach (var json in events)
        {
            var decision = Evaluate(rules, json);
            if (decision.Action == RuleAction.Drop)
            {
                dropped++;
                hits[decision.RuleIndex]++;
            }
        }

        // Then 3 of 4 are dropped (filter rate 0.75), R1 twice and R2 once
        Assert.Equal(3, dropped);
        Assert.Equal(0.75, dropped / (double)events.Length);
        Assert.Equal([2, 1], hits);
    }

    [Theory]
    [InlineData("Describe", "DescribeInstances", RuleAction.Drop)]
    [InlineData("describe", "DescribeInstances", RuleAction.Keep)]
    [InlineData("(?i)describe", "DescribeInstances", RuleAction.Drop)]
    [InlineData("^Instances", "DescribeInstances", RuleAction.Keep)]
    public void Evaluate_Regex_IsUnanchoredCaseSensitiveSearch(string regex, string eventName, RuleAction expected)
    {
        // Given a regex on eventName
        var rules = OneMatch($"field_name: eventName, regex: '{regex}'");

        // When the event name is evaluated
        var action = Action(rules, $$"""{"eventName":"{{eventName}}"}""");

        // Then the regex searches anywhere, case-sensitively unless (?i)
        Assert.Equal(expected, action);
    }

    [Theory]
    [InlineData("true", RuleAction.Drop)]
    [InlineData("false", RuleAction.Keep)]
    [InlineData("\"true\"", RuleAction.Drop)]
    public void Evaluate_ReadOnlyTrueRegex_HitsJsonTrue(string value, RuleAction expected)
    {
        // Given boogy's idiom readOnly: "^true$"
        var rules = OneMatch("field_name: readOnly, regex: '^true$'");

        // When readOnly is a JSON boolean (or string)
        var action = Action(rules, $$"""{"readOnly":{{value}}}""");

        // Then booleans match on their JSON text
        Assert.Equal(expected, action);
    }

    [Fact]
    public void Evaluate_NumberValue_MatchesRawJsonText()
    {
        // Given a regex over a number
        var rules = OneMatch("field_name: apiVersion, regex: '^1\\.50$'");

        // When the value is the JSON number 1.50
        var action = Action(rules, """{"apiVersion":1.50}""");

        // Then it matches the raw text, not a reformatted number
        Assert.Equal(RuleAction.Drop, action);
    }

    [Theory]
    [InlineData("""{"userIdentity":{"type":"Root"}}""")]
    [InlineData("""{"userIdentity":["Root"]}""")]
    [InlineData("""{"userIdentity":null}""")]
    public void Evaluate_PathEndingOnObjectArrayOrNull_NeverHits(string json)
    {
        // Given a match-everything regex on userIdentity
        var rules = OneMatch("field_name: userIdentity, regex: '.*'");

        // When userIdentity is an object, an array or null
        var action = Action(rules, json);

        // Then it never hits
        Assert.Equal(RuleAction.Keep, action);
    }

    [Fact]
    public void Evaluate_PathThroughArrayWithoutBrackets_DoesNotResolve()
    {
        // Given resources.ARN (no []), which the anchors resolve through maps only
        var rules = OneMatch("field_name: resources.ARN, regex: '.*'");

        // When resources is an array of objects
        var action = Action(rules, """{"resources":[{"ARN":"arn:aws:s3:::b"}]}""");

        // Then the path does not resolve
        Assert.Equal(RuleAction.Keep, action);
    }
}
