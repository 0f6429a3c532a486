using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Regex = System.Text.RegularExpressions.Regex;
using RegexOptions = System.Text.RegularExpressions.RegexOptions;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.Rules;

/// <summary>
/// The rule index may only skip rules that cannot fire: every test compares the indexed evaluation with trying every
/// rule and detection (<see cref="CompiledRuleSet.EvaluateExhaustively"/>), and some show that it does skip.
/// </summary>
public sealed class RuleIndexTests
{
    private static readonly Lazy<List<byte[]>> s_corpus = new(LoadCorpus);

    public static TheoryData<string> RuleFiles() =>
        [.. new[] { "default.yaml", "examples/allow-list.yaml", "examples/boogy.yaml", "examples/wolfeidau.yaml" }];

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void Evaluate_RealCorpusWithBothPacks_SameDecisionsAndHitsAsTryingEveryRule(string file)
    {
        // Given a shipped rule file compiled with both detection packs, and every record of the real corpus
        if (RepoPaths.RealCorpus is null)
        {
            return;
        }

        var rules = WithPacks(RuleSetLoader.LoadFile(Path.Combine(RepoPaths.Root, "rules", file)));
        var indexed = new int[rules.DetectionCount];
        var exhaustive = new int[rules.DetectionCount];
        var hits = 0;

        // When each record is evaluated through the index and by trying every rule
        foreach (var record in s_corpus.Value)
        {
            var a = rules.Evaluate(record, out var fieldsA, indexed, out var countA);
            var b = rules.EvaluateExhaustively(record, out var fieldsB, exhaustive, out var countB);

            // Then the decision, the evaluated fields and the detection hits are the same
            Assert.Equal(b, a);
            Assert.Equal(fieldsB, fieldsA);
            Assert.Equal(exhaustive.AsSpan(0, countB).ToArray(), indexed.AsSpan(0, countA).ToArray());
            hits += countA;
        }

        Assert.True(hits > 100, $"the corpus should raise detections (raised {hits})");
    }

    [Theory]
    [InlineData("""{"eventName":"Console\u004cogin","eventSource":"signin.amazonaws.com"}""")]
    [InlineData("""{"eventName":"Other","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com"}""")]
    [InlineData("""{"eventName":"ConsoleLogin","eventName":"Other","eventSource":"signin.amazonaws.com"}""")]
    [InlineData("""{"eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com"}""")]
    public void Evaluate_ValueTheIndexCannotReadExactly_StillHits(string json)
    {
        // Given a rule guarded by eventName and eventSource, and a record whose eventName is escaped or repeated
        var rules = RuleTestData.Load("""
            rules:
              - name: logins
                matches:
                  - { field_name: eventName, equals: ConsoleLogin }
                  - { field_name: eventSource, in: [signin.amazonaws.com] }
            """);

        // When it is evaluated
        var decision = RuleTestData.Evaluate(rules, json);

        // Then the rule fires, as when every rule is tried
        Assert.Equal(new RuleDecision(RuleAction.Drop, 0), decision);
        Assert.Equal(decision, rules.EvaluateExhaustively(Encoding.UTF8.GetBytes(json), out _, [], out _));
    }

    [Theory]
    [InlineData("""{"readOnly":true}""", RuleAction.Drop)]
    [InlineData("""{"readOnly":"true"}""", RuleAction.Drop)]
    [InlineData("""{"readOnly":false}""", RuleAction.Keep)]
    [InlineData("""{"readOnly":{"value":true}}""", RuleAction.Keep)]
    [InlineData("""{"resources":[{"type":"AWS::S3::Object"},{"type":"AWS::KMS::Key"}]}""", RuleAction.Drop)]
    [InlineData("""{"resources":[{"type":"AWS::KMS::Key"},{"type":"AWS::S3::Object"}]}""", RuleAction.Drop)]
    [InlineData("""{"resources":[{"type":"AWS::KMS::Key"}]}""", RuleAction.Drop)]
    [InlineData("""{"resources":[{"type":"AWS::S3::Object"}]}""", RuleAction.Keep)]
    [InlineData("""{}""", RuleAction.Keep)]
    public void Evaluate_GuardsOnLiteralsAndArrays_MatchTheRuleSemantics(string json, RuleAction expected)
    {
        // Given rules guarded by a boolean's JSON text and by an array element's value
        var rules = RuleTestData.Load("""
            rules:
              - name: reads
                matches:
                  - { field_name: readOnly, equals: "true" }
              - name: kms keys
                matches:
                  - { field_name: "resources[].type", in: ["AWS::KMS::Key"] }
            """);

        // When a record is evaluated
        var decision = RuleTestData.Evaluate(rules, json);

        // Then it is what trying every rule gives, and what the rules say
        Assert.Equal(expected, decision.Action);
        Assert.Equal(decision, rules.EvaluateExhaustively(Encoding.UTF8.GetBytes(json), out _, [], out _));
    }

    [Fact]
    public void Evaluate_FirstHitOrder_KeptAcrossGuardedAndUnguardedRules()
    {
        // Given an unguarded rule (a regex) before and after a guarded one that also hits
        var rules = RuleTestData.Load("""
            rules:
              - name: errors
                action: keep
                matches:
                  - { field_name: errorCode, regex: "." }
              - name: decrypts
                matches:
                  - { field_name: eventName, equals: Decrypt }
              - name: anything
                matches:
                  - { field_name: eventSource, regex: "." }
            """);

        // When records hit one, two or all three
        // Then the first in file order decides, as without the index
        Assert.Equal(new RuleDecision(RuleAction.Keep, 0), RuleTestData.Evaluate(rules, """{"errorCode":"X","eventName":"Decrypt","eventSource":"kms"}"""));
        Assert.Equal(new RuleDecision(RuleAction.Drop, 1), RuleTestData.Evaluate(rules, """{"eventName":"Decrypt","eventSource":"kms"}"""));
        Assert.Equal(new RuleDecision(RuleAction.Drop, 2), RuleTestData.Evaluate(rules, """{"eventName":"Encrypt","eventSource":"kms"}"""));
    }

    [Theory]
    [InlineData(false, false, new[] { 130, 150, 151 })]
    [InlineData(true, false, new[] { 150, 151 })]
    [InlineData(false, true, null)]
    public void Candidates_ManyGuardedRules_LeavesOnlyThoseTheRecordCanFire(bool missing, bool escaped, int[]? expected)
    {
        // Given 150 rules, each guarded by its own eventName (three candidate words), then two unguarded ones (a regex,
        // a negated equals), and a record whose eventName (leaf 0) is E130, or missing, or escaped
        var rules = Enumerable.Range(0, 150).Select(i => Rule(new CompiledMatch(0, null, $"E{i}", null, null, null, not: false, ignoreCase: false))).ToList();
        rules.Add(Rule(new CompiledMatch(0, new Regex("^E1", RegexOptions.NonBacktracking), null, null, null, null, not: false, ignoreCase: false)));
        rules.Add(Rule(new CompiledMatch(0, null, "E7", null, null, null, not: true, ignoreCase: false)));
        var index = RuleIndex.Build(rules);
        var record = "E130"u8;
        int[] heads = [missing ? -1 : 0];
        CapturedValue[] captures = [new(0, record.Length, JsonTokenType.String, escaped, -1)];

        // When the candidates are computed
        var candidates = new ulong[index.Words];
        index.Candidates(record, heads, captures, candidates);
        var set = new List<int>();
        for (var i = RuleIndex.Next(candidates, 0); i >= 0; i = RuleIndex.Next(candidates, i + 1))
        {
            set.Add(i);
        }

        // Then only the rules that can fire are left: its own and the unguarded ones; none of the guarded ones when the
        // field is missing; every rule when the value is escaped (the index cannot compare it byte for byte)
        Assert.Equal(expected ?? [.. Enumerable.Range(0, 152)], set);
    }

    [Fact]
    public void Next_AcrossWordBoundaries_FindsEverySetBitInOrder()
    {
        // Given a candidate set of three words with bits at the edges of each
        ulong[] set = [1UL | (1UL << 63), 0, 1UL << 5];

        // When the set bits are walked
        var found = new List<int>();
        for (var i = RuleIndex.Next(set, 0); i >= 0; i = RuleIndex.Next(set, i + 1))
        {
            found.Add(i);
        }

        // Then each is found once, ascending, and the walk ends
        Assert.Equal([0, 63, 133], found);
        Assert.Equal(-1, RuleIndex.Next(set, 192));
    }

    private static CompiledRule Rule(CompiledMatch match) =>
        new() { Name = "r", Enabled = true, Action = RuleAction.Drop, Matches = [match], Excludes = [] };

    private static CompiledRuleSet WithPacks(CompiledRuleSet rules) =>
        rules.WithDetections(DetectionSetLoader.LoadFiles(
            Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "rules", "detections"), "*.yaml").Order(StringComparer.Ordinal)));

    private static List<byte[]> LoadCorpus()
    {
        var records = new List<byte[]>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.RealCorpus!, "*.json*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains("digest", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = file.EndsWith(".gz", StringComparison.Ordinal) ? (Stream)new GZipStream(File.OpenRead(file), CompressionMode.Decompress) : File.OpenRead(file);
            using var document = JsonDocument.Parse(stream);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Records", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                records.AddRange(list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(r => Encoding.UTF8.GetBytes(r.GetRawText())));
            }
        }

        return records;
    }
}
