using TrailSieve.Core.Rules;
using static TrailSieve.Core.Tests.Rules.RuleTestData;

namespace TrailSieve.Core.Tests.Rules;

public sealed class RuleSetLoaderTests
{
    private static string Rule(string match) => $$"""
        rules:
          - name: my-rule
            matches:
              - { {{match}} }
        """;

    [Theory]
    [InlineData("field_name: .eventName, regex: x", "matches[0].field_name")]
    [InlineData("field_name: event..Name, regex: x", "matches[0].field_name")]
    [InlineData("field_name: 123x, regex: x", "matches[0].field_name")]
    [InlineData("field_name: 'eventName.', regex: x", "matches[0].field_name")]
    [InlineData("field_name: 'event Name', regex: x", "matches[0].field_name")]
    [InlineData("field_name: 'a[0]', regex: x", "matches[0].field_name")]
    [InlineData("field_name: '', regex: x", "matches[0].field_name")]
    [InlineData("regex: x", "matches[0].field_name")]
    [InlineData("field_name: eventName, regex: ''", "matches[0].regex")]
    [InlineData("field_name: eventName, matches: ''", "matches[0].matches")]
    [InlineData("field_name: eventName, regex: '(unclosed'", "matches[0].regex")]
    [InlineData("field_name: eventName, regex: 'a(?=b)'", "matches[0].regex")]
    [InlineData("field_name: eventName, regex: '(?<!a)b'", "matches[0].regex")]
    [InlineData("field_name: eventName, regex: '(a)\\1'", "matches[0].regex")]
    [InlineData("field_name: eventName, regex: 'x{5000}$'", "matches[0].regex")]
    [InlineData("field_name: eventName", "matches[0]: no operator")]
    [InlineData("field_name: eventName, in: []", "matches[0].in")]
    [InlineData("field_name: eventName, regex: x, exists: maybe", "matches[0].exists")]
    public void Load_BadMatch_RejectsNamingRuleAndField(string match, string field)
    {
        // Given a rule with one bad match
        var yaml = Rule(match);

        // When it is loaded
        var ex = Reject(yaml);

        // Then the single error names the rule and the field, and the message is prefixed by the source
        var error = Assert.Single(ex.Errors);
        Assert.Contains("rules[0] 'my-rule'", error, StringComparison.Ordinal);
        Assert.Contains(field, error, StringComparison.Ordinal);
        Assert.StartsWith("test.yaml: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Lookaround_ExplainsRe2Limitation()
    {
        // Given a lookahead
        var ex = Reject(Rule("field_name: eventName, regex: 'a(?=b)'"));

        // When the message is read
        var error = Assert.Single(ex.Errors);

        // Then it says why
        Assert.Contains("lookahead", error, StringComparison.Ordinal);
        Assert.Contains("RE2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RegexOverLimit_IsRejected()
    {
        // Given 1001 and 1000 character regexes
        var tooLong = Rule($"field_name: eventName, regex: '{new string('a', 1001)}'");
        var atLimit = Rule($"field_name: eventName, regex: '{new string('a', 1000)}'");

        // When they are loaded
        var ex = Reject(tooLong);
        var ok = Load(atLimit);

        // Then only the longer one fails, naming the limit
        Assert.Contains("1000", Assert.Single(ex.Errors), StringComparison.Ordinal);
        Assert.Single(ok.RuleNames);
    }

    [Theory]
    [InlineData("version: 1.0.0", true)]
    [InlineData("version: v1.0.0", true)]
    [InlineData("version: 2.10.3-rc.1+build.5", true)]
    [InlineData("version: '1.2'", false)]
    [InlineData("version: 1", false)]
    [InlineData("version: one", false)]
    public void Load_Version_MustBeSemver(string versionLine, bool valid)
    {
        // Given a file with a version
        var yaml = versionLine + "\n" + Rule("field_name: eventName, regex: x");

        // When it is loaded
        var ex = Record.Exception(() => Load(yaml));

        // Then only semantic versions (boogy also allows a leading v) load
        if (valid)
        {
            Assert.Null(ex);
        }
        else
        {
            Assert.Contains("version", Assert.Single(Assert.IsType<RuleValidationException>(ex).Errors), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_ManyProblems_CollectsEveryOne()
    {
        // Given a file with several independent problems
        var yaml = """
            version: '1.2'
            default_action: maybe
            rules:
              - name: dup
                matches: [{ field_name: eventName, regex: x }]
              - name: dup
                matches: [{ field_name: eventName, regex: x }]
              - name: ''
                matches: [{ field_name: eventName, regex: x }]
              - name: no-matches
                matches: []
              - name: missing-matches
              - name: bad-action
                action: delete
                matches: [{ field_name: eventName, regex: x }]
            """;

        // When it is loaded
        var errors = Reject(yaml).Errors;

        // Then every problem is listed, each naming the rule and field
        Assert.Equal(7, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("version:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("default_action: unknown value 'maybe'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rules[1] 'dup': name: duplicate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rules[2] (unnamed): name: missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rules[3] 'no-matches': matches:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rules[4] 'missing-matches': matches:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rules[5] 'bad-action': action: unknown value 'delete'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_BadYaml_ReportsLineAndColumn()
    {
        // Given malformed YAML on line 3
        var yaml = "rules:\n  - name: x\n    matches: [{ field_name: a, regex: b }\n";

        // When it is loaded
        var error = Assert.Single(Reject(yaml).Errors);

        // Then the error gives the position
        Assert.Contains("invalid YAML at line", error, StringComparison.Ordinal);
        Assert.Contains("column", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just a string")]
    [InlineData("version: 1.0.0")]
    [InlineData("rules: {a: 1}")]
    public void Load_WrongShape_IsRejected(string yaml)
    {
        // Given text that is not a rule file
        // When it is loaded
        var ex = Reject(yaml);

        // Then it is rejected with at least one error
        Assert.NotEmpty(ex.Errors);
    }

    [Fact]
    public void Load_UnknownKeys_AreWarningsNamingKeyAndRule()
    {
        // Given unknown keys at each level
        var yaml = """
            colour: blue
            meta: { description: d, owner: me }
            rules:
              - name: my-rule
                priority: 3
                matches:
                  - { field_name: eventName, regex: x, flags: i }
            """;

        // When it is loaded
        var rules = Load(yaml);

        // Then each unknown key is a warning naming it (and the rule when inside one)
        Assert.Equal(4, rules.Warnings.Count);
        Assert.Contains(rules.Warnings, w => w.Contains("'colour'", StringComparison.Ordinal));
        Assert.Contains(rules.Warnings, w => w.Contains("'owner'", StringComparison.Ordinal));
        Assert.Contains(rules.Warnings, w => w.Contains("rules[0] 'my-rule': unknown key 'priority'", StringComparison.Ordinal));
        Assert.Contains(rules.Warnings, w => w.Contains("rules[0] 'my-rule': matches[0]: unknown key 'flags'", StringComparison.Ordinal));
        Assert.All(rules.Warnings, w => Assert.StartsWith("test.yaml: ", w, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("userIdentity.sessionContext.sessionIssuer.does-not-exist")]
    [InlineData("requestParameters.1stThing")]
    [InlineData("_private")]
    [InlineData("resources[].ARN")]
    [InlineData("a[].b[].c")]
    [InlineData("tags[]")]
    [InlineData("additionalEventData.x-amz-id-2")]
    public void Load_ValidFieldPaths_AreAccepted(string path)
    {
        // Given paths the anchors accept (boogy: ^[a-zA-Z][a-zA-Z0-9_.\-]*$ without empty segments) plus [] traversal
        var yaml = Rule($"field_name: '{path}', regex: x");

        // When it is loaded
        var rules = Load(yaml);

        // Then it compiles
        Assert.Single(rules.RuleNames);
    }

    [Fact]
    public void Load_JsonRuleFile_Loads()
    {
        // Given a rule file written as JSON
        var json = """
            {
              "version": "1.0.0",
              "default_action": "keep",
              "rules": [
                { "name": "kms", "matches": [ { "field_name": "eventSource", "regex": "^kms\\.amazonaws\\.com$" } ] }
              ]
            }
            """;

        // When it is loaded and used
        var rules = Load(json);
        var action = Action(rules, """{"eventSource":"kms.amazonaws.com"}""");

        // Then it behaves like the YAML form
        Assert.Equal("1.0.0", rules.Version);
        Assert.Equal(RuleAction.Drop, action);
    }

    [Fact]
    public void LoadFile_MissingFile_Throws()
    {
        // Given a path that does not exist
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml");

        // When it is loaded
        // Then the IO error surfaces
        Assert.Throws<FileNotFoundException>(() => RuleSetLoader.LoadFile(path));
    }
}
