using System.Buffers;

namespace TrailSieve.Core.Rules;

/// <summary>
/// An immutable, thread-safe rule set compiled once from a rule file (see <see cref="RuleSetLoader"/>). Rules are
/// evaluated in file order and the first that fires decides; when none fires, <see cref="DefaultAction"/> decides.
/// </summary>
public sealed class CompiledRuleSet
{
    private const int StackHeads = 64;

    private readonly CompiledRule[] _rules;
    private readonly PathNode _root;
    private readonly int _leafCount;

    internal CompiledRuleSet(CompiledRule[] rules, PathNode root, int leafCount, RuleAction defaultAction, string? version, IReadOnlyList<string> warnings)
    {
        _rules = rules;
        _root = root;
        _leafCount = leafCount;
        DefaultAction = defaultAction;
        Version = version;
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
    public static CompiledRuleSet KeepAll { get; } = new([], RuleSetCompiler.CreateRoot(), 0, RuleAction.Keep, null, []);

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
    /// and captures <paramref name="metadata"/>.
    /// </summary>
    /// <exception cref="System.Text.Json.JsonException">The record is not exactly one valid JSON object.</exception>
    public RuleDecision Evaluate(ReadOnlySpan<byte> record, out RecordMetadata metadata)
    {
        int[]? rentedHeads = null;
        var heads = _leafCount <= StackHeads
            ? stackalloc int[StackHeads]
            : (rentedHeads = ArrayPool<int>.Shared.Rent(_leafCount));
        heads = heads[.._leafCount];
        heads.Fill(-1);
        var state = new EvaluationState(heads, _leafCount == 0 ? [] : ArrayPool<Capture>.Shared.Rent(16));
        try
        {
            RecordScanner.Scan(record, _root, ref state);
            metadata = state.Metadata();
            var captures = state.Captures;
            for (var i = 0; i < _rules.Length; i++)
            {
                if (_rules[i].Fires(record, heads, captures))
                {
                    return new RuleDecision(_rules[i].Action, i);
                }
            }

            return new RuleDecision(DefaultAction, -1);
        }
        finally
        {
            if (state.CaptureArray.Length > 0)
            {
                ArrayPool<Capture>.Shared.Return(state.CaptureArray);
            }

            if (rentedHeads is not null)
            {
                ArrayPool<int>.Shared.Return(rentedHeads);
            }
        }
    }
}
