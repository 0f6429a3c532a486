using System.Buffers;
using TrailSieve.Core.Detections;

namespace TrailSieve.Core.Rules;

/// <summary>
/// An immutable, thread-safe rule set compiled once from a rule file (see <see cref="RuleSetLoader"/>). Rules are
/// evaluated in file order and the first that fires decides; when none fires, <see cref="DefaultAction"/> decides.
/// Detections taken in with <see cref="WithDetections"/> share the rules' path tree, so the same single scan of a
/// record evaluates both; every detection is evaluated on every record, whatever the rules decide.
/// </summary>
public sealed class CompiledRuleSet
{
    private const int StackHeads = 64;
    private const int StackCandidateWords = 16;

    private readonly CompiledRule[] _rules;
    private readonly CompiledRule[] _detections;
    private readonly RuleSetDefinition _definition;
    private readonly PathNode _root;
    private readonly int _leafCount;
    private readonly RuleIndex _ruleIndex;
    private readonly RuleIndex _detectionIndex;

    internal CompiledRuleSet(
        CompiledRule[] rules,
        CompiledRule[] detections,
        DetectionSet? detectionSet,
        RuleSetDefinition definition,
        PathNode root,
        int leafCount,
        RuleAction defaultAction,
        IReadOnlyList<string> warnings)
    {
        _rules = rules;
        _detections = detections;
        _definition = definition;
        _root = root;
        _leafCount = leafCount;
        _ruleIndex = RuleIndex.Build(rules);
        _detectionIndex = RuleIndex.Build(detections);
        DetectionSet = detectionSet ?? DetectionSet.Empty;
        DefaultAction = defaultAction;
        Version = definition.Version;
        Warnings = [.. warnings];
        var names = new string[rules.Length];
        var actions = new RuleAction[rules.Length];
        var severities = new string?[rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            names[i] = rules[i].Name;
            actions[i] = rules[i].Action;
            severities[i] = rules[i].Severity;
        }

        RuleNames = names;
        RuleActions = actions;
        RuleSeverities = severities;
    }

    /// <summary>No rules, default keep: every valid record is kept.</summary>
    public static CompiledRuleSet KeepAll { get; } = new([], [], null, new RuleSetDefinition(), RuleSetCompiler.CreateRoot(), 0, RuleAction.Keep, []);

    /// <summary>The detections evaluated with the rules (empty unless <see cref="WithDetections"/> added some).</summary>
    public DetectionSet DetectionSet { get; }

    /// <summary>How many detections there are: the size of the hits span <see cref="Evaluate(ReadOnlySpan{byte}, out EvaluatedFields, Span{int}, out int)"/> needs.</summary>
    public int DetectionCount => _detections.Length;

    /// <summary>Every rule in file order, disabled ones too, so indices are stable.</summary>
    public IReadOnlyList<string> RuleNames { get; }

    /// <summary>Each rule's action, parallel to <see cref="RuleNames"/>.</summary>
    public IReadOnlyList<RuleAction> RuleActions { get; }

    /// <summary>Each rule's <c>severity</c> (meant for <c>action: tag</c>), or null; parallel to <see cref="RuleNames"/>.</summary>
    public IReadOnlyList<string?> RuleSeverities { get; }

    /// <summary>What happens to a record no rule fires on (<c>default_action</c>, default keep).</summary>
    public RuleAction DefaultAction { get; }

    /// <summary>The file's <c>version</c>, or null when it has none.</summary>
    public string? Version { get; }

    /// <summary>Non-fatal problems found while loading (unknown keys), each naming the key and where it is.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Evaluates one record given as its exact UTF-8 JSON object bytes, in one reader pass that also validates the JSON
    /// and captures the record's <paramref name="fields"/>.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The record is not exactly one valid JSON object.</exception>
    public RuleDecision Evaluate(ReadOnlySpan<byte> record, out EvaluatedFields fields) => Evaluate(record, out fields, [], evaluateDetections: false, exhaustive: false, out _);

    /// <summary>
    /// This rule set and <paramref name="detections"/> compiled together into one path tree: the same rules, plus
    /// every detection evaluated on every record in the same scan. The rules are compiled again from their validated
    /// definitions, so this cannot fail on a set that loaded.
    /// </summary>
    public CompiledRuleSet WithDetections(DetectionSet detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var errors = new List<string>();
        return RuleSetCompiler.Compile(_definition, errors, Warnings, detections)
            ?? throw new InvalidOperationException("validated rules and detections failed to compile together: " + string.Join("; ", errors));
    }

    /// <summary>
    /// Evaluates one record like <see cref="Evaluate(ReadOnlySpan{byte}, out EvaluatedFields)"/> and, in the same scan,
    /// every detection: the indices (into <see cref="DetectionSet"/>) of those that hit go to
    /// <paramref name="detectionHits"/>, which must hold <see cref="DetectionCount"/> entries.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The record is not exactly one valid JSON object.</exception>
    public RuleDecision Evaluate(ReadOnlySpan<byte> record, out EvaluatedFields fields, Span<int> detectionHits, out int detectionHitCount) =>
        Evaluate(record, out fields, detectionHits, evaluateDetections: true, exhaustive: false, out detectionHitCount);

    /// <summary>
    /// Like <see cref="Evaluate(ReadOnlySpan{byte}, out EvaluatedFields, Span{int}, out int)"/>, but tries every rule and
    /// detection instead of only the candidates <see cref="RuleIndex"/> leaves: the reference the index is tested against.
    /// </summary>
    internal RuleDecision EvaluateExhaustively(ReadOnlySpan<byte> record, out EvaluatedFields fields, Span<int> detectionHits, out int detectionHitCount) =>
        Evaluate(record, out fields, detectionHits, evaluateDetections: true, exhaustive: true, out detectionHitCount);

    private RuleDecision Evaluate(ReadOnlySpan<byte> record, out EvaluatedFields fields, Span<int> detectionHits, bool evaluateDetections, bool exhaustive, out int detectionHitCount)
    {
        if (evaluateDetections && detectionHits.Length < _detections.Length)
        {
            throw new ArgumentException($"the hits span holds {detectionHits.Length} entries; {_detections.Length} are needed", nameof(detectionHits));
        }

        int[]? rentedHeads = null;
        ulong[]? rentedCandidates = null;
        var heads = _leafCount <= StackHeads
            ? stackalloc int[StackHeads]
            : (rentedHeads = ArrayPool<int>.Shared.Rent(_leafCount));
        heads = heads[.._leafCount];
        heads.Fill(-1);
        var words = Math.Max(_ruleIndex.Words, _detectionIndex.Words);
        var candidates = words <= StackCandidateWords
            ? stackalloc ulong[StackCandidateWords]
            : (rentedCandidates = ArrayPool<ulong>.Shared.Rent(words));
        // Room for about one capture per leaf and a half again (arrays capture more), so a record rarely regrows it.
        var state = new EvaluationState(heads, _leafCount == 0 ? [] : ArrayPool<CapturedValue>.Shared.Rent(Math.Max(16, _leafCount + (_leafCount / 2))));
        try
        {
            PathTreeScanner.Scan(record, _root, ref state);
            fields = state.EvaluatedFields();
            var captures = state.Captures;
            var hitCount = 0;
            if (evaluateDetections && _detections.Length > 0)
            {
                var set = Candidates(_detectionIndex, record, heads, captures, candidates, exhaustive);
                for (var d = RuleIndex.Next(set, 0); d >= 0; d = RuleIndex.Next(set, d + 1))
                {
                    if (_detections[d].Fires(record, heads, captures))
                    {
                        detectionHits[hitCount++] = d;
                    }
                }
            }

            detectionHitCount = hitCount;
            if (_rules.Length > 0)
            {
                var set = Candidates(_ruleIndex, record, heads, captures, candidates, exhaustive);
                for (var i = RuleIndex.Next(set, 0); i >= 0; i = RuleIndex.Next(set, i + 1))
                {
                    if (_rules[i].Fires(record, heads, captures))
                    {
                        return new RuleDecision(_rules[i].Action, i);
                    }
                }
            }

            return new RuleDecision(DefaultAction, -1);
        }
        finally
        {
            if (state.CaptureArray.Length > 0)
            {
                ArrayPool<CapturedValue>.Shared.Return(state.CaptureArray);
            }

            if (rentedHeads is not null)
            {
                ArrayPool<int>.Shared.Return(rentedHeads);
            }

            if (rentedCandidates is not null)
            {
                ArrayPool<ulong>.Shared.Return(rentedCandidates);
            }
        }
    }

    /// <summary>The rules of <paramref name="index"/> worth trying on this record: its candidates, or all of them when exhaustive.</summary>
    private static ReadOnlySpan<ulong> Candidates(RuleIndex index, ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures, Span<ulong> scratch, bool exhaustive)
    {
        var set = scratch[..index.Words];
        if (exhaustive)
        {
            set.Fill(ulong.MaxValue);
            if (index.Count % 64 != 0)
            {
                set[^1] = (1UL << (index.Count % 64)) - 1;
            }
        }
        else
        {
            index.Candidates(record, heads, captures, set);
        }

        return set;
    }
}
