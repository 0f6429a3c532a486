using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Rules.RuleTestData;

namespace TrailSieve.Core.Tests.Rules;

public sealed class CompiledRuleSetExtensionTests
{
    [Theory]
    [InlineData("equals: GetObject", """{"eventName":"GetObject"}""", RuleAction.Drop)]
    [InlineData("equals: GetObject", """{"eventName":"GetObjectAcl"}""", RuleAction.Keep)]
    [InlineData("equals: getobject", """{"eventName":"GetObject"}""", RuleAction.Keep)]
    [InlineData("equals: getobject, ignore_case: true", """{"eventName":"GetObject"}""", RuleAction.Drop)]
    [InlineData("equals: 'true'", """{"eventName":true}""", RuleAction.Drop)]
    [InlineData("equals: 'null'", """{"eventName":null}""", RuleAction.Keep)]
    [InlineData("in: [PutObject, GetObject]", """{"eventName":"GetObject"}""", RuleAction.Drop)]
    [InlineData("in: [PutObject, GetObject]", """{"eventName":"DeleteObject"}""", RuleAction.Keep)]
    [InlineData("in: [putobject, getobject], ignore_case: true", """{"eventName":"GetObject"}""", RuleAction.Drop)]
    [InlineData("prefix: Describe", """{"eventName":"DescribeInstances"}""", RuleAction.Drop)]
    [InlineData("prefix: Describe", """{"eventName":"ListDescribe"}""", RuleAction.Keep)]
    [InlineData("prefix: describe, ignore_case: true", """{"eventName":"DescribeInstances"}""", RuleAction.Drop)]
    [InlineData("regex: '^describe', ignore_case: true", """{"eventName":"DescribeInstances"}""", RuleAction.Drop)]
    [InlineData("prefix: Describe, regex: 'Instances$'", """{"eventName":"DescribeInstances"}""", RuleAction.Drop)]
    [InlineData("prefix: Describe, regex: 'Images$'", """{"eventName":"DescribeInstances"}""", RuleAction.Keep)]
    public void Evaluate_ValueOperators_HitAsDocumented(string operators, string json, RuleAction expected)
    {
        // Given one match on eventName with the operators
        var rules = OneMatch($"field_name: eventName, {operators}");

        // When the record is evaluated
        var action = Action(rules, json);

        // Then the operators (AND-ed) decide
        Assert.Equal(expected, action);
    }

    [Theory]
    [InlineData("exists: true", """{"errorCode":"AccessDenied"}""", RuleAction.Drop)]
    [InlineData("exists: true", """{"errorCode":null}""", RuleAction.Drop)]
    [InlineData("exists: true", """{"errorCode":{}}""", RuleAction.Drop)]
    [InlineData("exists: true", """{"eventName":"x"}""", RuleAction.Keep)]
    [InlineData("exists: false", """{"eventName":"x"}""", RuleAction.Drop)]
    [InlineData("exists: false", """{"errorCode":"AccessDenied"}""", RuleAction.Keep)]
    [InlineData("exists: true, not: true", """{"eventName":"x"}""", RuleAction.Drop)]
    [InlineData("regex: 'Denied', not: true", """{"errorCode":"AccessDenied"}""", RuleAction.Keep)]
    [InlineData("regex: 'Denied', not: true", """{"errorCode":"Throttling"}""", RuleAction.Drop)]
    [InlineData("regex: 'Denied', not: true", """{"eventName":"x"}""", RuleAction.Drop)]
    public void Evaluate_ExistsAndNot_HitAsDocumented(string operators, string json, RuleAction expected)
    {
        // Given one match on errorCode
        var rules = OneMatch($"field_name: errorCode, {operators}");

        // When the record is evaluated
        var action = Action(rules, json);

        // Then exists tests resolution (null counts), and not negates after a missing field fails
        Assert.Equal(expected, action);
    }

    [Theory]
    [InlineData("""{"resources":[{"ARN":"arn:aws:s3:::a"},{"ARN":"arn:aws:kms:us-east-1:1:key/k"}]}""", RuleAction.Drop)]
    [InlineData("""{"resources":[{"ARN":"arn:aws:s3:::a"},{"type":"AWS::KMS::Key"}]}""", RuleAction.Keep)]
    [InlineData("""{"resources":[]}""", RuleAction.Keep)]
    [InlineData("""{"resources":{"ARN":"arn:aws:kms:x"}}""", RuleAction.Keep)]
    [InlineData("""{"other":[{"ARN":"arn:aws:kms:x"}]}""", RuleAction.Keep)]
    public void Evaluate_ArrayTraversal_HitsWhenAnyElementHits(string json, RuleAction expected)
    {
        // Given resources[].ARN
        var rules = OneMatch("field_name: 'resources[].ARN', prefix: 'arn:aws:kms:'");

        // When the record is evaluated
        var action = Action(rules, json);

        // Then any element hitting is enough, and a non-array does not resolve
        Assert.Equal(expected, action);
    }

    [Fact]
    public void Evaluate_ArrayOfScalarsWithTrailingBrackets_TestsEachElement()
    {
        // Given a path ending in []
        var rules = OneMatch("field_name: 'tags[]', equals: prod");

        // When one element equals the value
        var hit = Action(rules, """{"tags":["dev",1,"prod"]}""");
        var miss = Action(rules, """{"tags":["dev"]}""");

        // Then the match hits only when an element does
        Assert.Equal(RuleAction.Drop, hit);
        Assert.Equal(RuleAction.Keep, miss);
    }

    [Fact]
    public void Evaluate_DisabledRule_IsSkippedButKeepsItsIndex()
    {
        // Given a disabled rule before an enabled one with the same match
        var rules = Load("""
            rules:
              - name: off
                enabled: false
                matches: [{ field_name: eventName, equals: Decrypt }]
              - name: on
                matches: [{ field_name: eventName, equals: Decrypt }]
            """);

        // When a Decrypt is evaluated
        var decision = Evaluate(rules, """{"eventName":"Decrypt"}""");

        // Then the enabled rule (index 1) decides, and both names are listed
        Assert.Equal(new RuleDecision(RuleAction.Drop, 1), decision);
        Assert.Equal(["off", "on"], rules.RuleNames);
    }

    [Theory]
    [InlineData("""{"eventName":"Decrypt"}""", RuleAction.Drop)]
    [InlineData("""{"eventName":"Decrypt","errorCode":"AccessDenied"}""", RuleAction.Keep)]
    public void Evaluate_ExcludeMatches_StopTheRuleFromFiring(string json, RuleAction expected)
    {
        // Given a drop rule that excludes records with an errorCode
        var rules = Load("""
            rules:
              - name: drop-decrypt
                matches: [{ field_name: eventName, equals: Decrypt }]
                exclude_matches: [{ field_name: errorCode, exists: true }]
            """);

        // When the record is evaluated
        var action = Action(rules, json);

        // Then records with an errorCode are kept
        Assert.Equal(expected, action);
    }

    [Fact]
    public void Evaluate_KeepRuleBeforeDropRule_FirstHitDecides()
    {
        // Given a keep rule for Root ahead of a drop-everything-Describe rule, and a tag rule
        var rules = Load("""
            rules:
              - name: keep-root
                action: keep
                matches: [{ field_name: userIdentity.type, equals: Root }]
              - name: tag-console
                action: tag
                severity: high
                matches: [{ field_name: eventName, equals: ConsoleLogin }]
              - name: drop-describe
                matches: [{ field_name: eventName, prefix: Describe }]
            """);

        // When records are evaluated
        var root = Evaluate(rules, """{"eventName":"DescribeInstances","userIdentity":{"type":"Root"}}""");
        var console = Evaluate(rules, """{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"}}""");
        var describe = Evaluate(rules, """{"eventName":"DescribeInstances","userIdentity":{"type":"IAMUser"}}""");

        // Then the first rule that hits decides
        Assert.Equal(new RuleDecision(RuleAction.Keep, 0), root);
        Assert.Equal(new RuleDecision(RuleAction.Tag, 1), console);
        Assert.Equal(new RuleDecision(RuleAction.Drop, 2), describe);
        Assert.Equal("high", rules.RuleSeverities[1]);
        Assert.Equal([RuleAction.Keep, RuleAction.Tag, RuleAction.Drop], rules.RuleActions);
    }

    [Theory]
    [InlineData("""{"eventSource":"iam.amazonaws.com"}""", RuleAction.Keep, 0)]
    [InlineData("""{"eventSource":"s3.amazonaws.com"}""", RuleAction.Drop, -1)]
    public void Evaluate_DefaultActionDrop_ActsAsAllowList(string json, RuleAction expected, int ruleIndex)
    {
        // Given an allow-list
        var rules = Load("""
            default_action: drop
            rules:
              - name: keep-iam
                action: keep
                matches: [{ field_name: eventSource, equals: iam.amazonaws.com }]
            """);

        // When the record is evaluated
        var decision = Evaluate(rules, json);

        // Then only listed records are kept
        Assert.Equal(new RuleDecision(expected, ruleIndex), decision);
        Assert.Equal(RuleAction.Drop, rules.DefaultAction);
    }

    [Theory]
    [InlineData("""{"eventName":"a\u0062c"}""", "equals: abc", RuleAction.Drop)]
    [InlineData("""{"eventName":"a\u0062c"}""", "regex: '^abc$'", RuleAction.Drop)]
    [InlineData("""{"eventName":"a\u0062c"}""", "prefix: ab", RuleAction.Drop)]
    [InlineData("""{"eventName":"A\u0042C"}""", "in: [x, abc], ignore_case: true", RuleAction.Drop)]
    [InlineData("""{"eventName":"a\"b"}""", "equals: 'a\"b'", RuleAction.Drop)]
    [InlineData("""{"eventName":"caf\u00e9"}""", "equals: café", RuleAction.Drop)]
    [InlineData("""{"eventName":"café"}""", "regex: '^caf.$'", RuleAction.Drop)]
    [InlineData("""{"event\u004eame":"abc"}""", "equals: abc", RuleAction.Drop)]
    public void Evaluate_EscapedStrings_MatchOnUnescapedValue(string json, string operators, RuleAction expected)
    {
        // Given a match on eventName
        var rules = OneMatch($"field_name: eventName, {operators}");

        // When the value (or the name) uses JSON escapes
        var action = Action(rules, json);

        // Then matching sees the unescaped text
        Assert.Equal(expected, action);
    }

    [Fact]
    public void Evaluate_LongEscapedValue_UsesPooledBuffers()
    {
        // Given a regex and an equals over a value longer than the stack buffers
        var value = new string('x', 5000);
        var rules = Load($$"""
            rules:
              - name: r
                matches:
                  - { field_name: eventName, regex: '^x+z$' }
                  - { field_name: eventName, equals: '{{value}}z' }
            """);

        // When the value is escaped and long
        var action = Action(rules, $$"""{"eventName":"{{value}}\u007a"}""");

        // Then both operators see the whole unescaped value
        Assert.Equal(RuleAction.Drop, action);
    }

    [Theory]
    [InlineData("""{"userIdentity":{"eventName":"Decrypt"},"eventName":"CreateKey"}""", RuleAction.Keep)]
    [InlineData("""{"requestParameters":{"eventName":"Decrypt","nested":{"eventName":"Decrypt"}}}""", RuleAction.Keep)]
    [InlineData("""{"requestParameters":{"x":1},"eventName":"Decrypt"}""", RuleAction.Drop)]
    public void Evaluate_SameNameInNestedObject_IsNotConfusedWithTopLevel(string json, RuleAction expected)
    {
        // Given a top-level eventName match
        var rules = OneMatch("field_name: eventName, equals: Decrypt");

        // When eventName also appears nested
        var action = Action(rules, json);

        // Then only the top-level value counts
        Assert.Equal(expected, action);
    }

    [Fact]
    public void Evaluate_SameNameTopLevelAndNestedPaths_ResolveIndependently()
    {
        // Given matches on accountId at two depths
        var rules = Load("""
            rules:
              - name: r
                matches:
                  - { field_name: userIdentity.accountId, equals: '111' }
                  - { field_name: recipientAccountId, equals: '222' }
            """);

        // When the record has both
        var hit = Action(rules, """{"recipientAccountId":"222","userIdentity":{"accountId":"111"}}""");
        var swapped = Action(rules, """{"recipientAccountId":"111","userIdentity":{"accountId":"222"}}""");

        // Then each path reads its own value
        Assert.Equal(RuleAction.Drop, hit);
        Assert.Equal(RuleAction.Keep, swapped);
    }

    [Fact]
    public void Evaluate_ManyRulesOverManyRecords_IsSameInParallel()
    {
        // Given a rule set and 2000 varied records
        var rules = Load("""
            rules:
              - name: kms
                matches: [{ field_name: eventSource, regex: '^kms\.' }, { field_name: eventName, in: [Decrypt, Encrypt] }]
                exclude_matches: [{ field_name: errorCode, exists: true }]
              - name: tag-root
                action: tag
                matches: [{ field_name: userIdentity.type, equals: Root }]
              - name: describe
                matches: [{ field_name: eventName, prefix: describe, ignore_case: true }, { field_name: 'resources[].ARN', regex: 'arn' }]
            """);
        string[] names = ["Decrypt", "Encrypt", "DescribeKey", "CreateKey", "DescribeInstances"];
        string[] types = ["Root", "AssumedRole", "AWSService"];
        var records = new byte[2000][];
        for (var i = 0; i < records.Length; i++)
        {
            var error = i % 7 == 0 ? "\"errorCode\":\"AccessDenied\"," : string.Empty;
            records[i] = System.Text.Encoding.UTF8.GetBytes(
                $$"""{"eventSource":"{{(i % 2 == 0 ? "kms" : "ec2")}}.amazonaws.com",{{error}}"eventName":"{{names[i % names.Length]}}","userIdentity":{"type":"{{types[i % types.Length]}}"},"resources":[{"ARN":"arn:{{i}}"}]}""");
        }

        var expected = new RuleDecision[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            expected[i] = rules.Evaluate(records[i], out _);
        }

        // When the same records are evaluated from many threads, several times
        var actual = new RuleDecision[records.Length * 8];
        Parallel.For(0, actual.Length, i => actual[i] = rules.Evaluate(records[i % records.Length], out _));

        // Then every decision equals the sequential one
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % records.Length], actual[i]);
        }

        Assert.Contains(expected, d => d.RuleIndex == 0);
        Assert.Contains(expected, d => d.RuleIndex == 1);
        Assert.Contains(expected, d => d.RuleIndex == 2);
        Assert.Contains(expected, d => d.RuleIndex == -1);
    }
}
