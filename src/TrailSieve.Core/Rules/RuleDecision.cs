namespace TrailSieve.Core.Rules;

/// <summary>The outcome of evaluating one record.</summary>
/// <param name="Action">What to do with the record.</param>
/// <param name="RuleIndex">
/// Index into <see cref="CompiledRuleSet.RuleNames"/> of the rule that decided, or -1 when <c>default_action</c> decided.
/// </param>
public readonly record struct RuleDecision(RuleAction Action, int RuleIndex);
