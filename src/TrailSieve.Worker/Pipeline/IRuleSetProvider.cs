using TrailSieve.Core.Rules;

namespace TrailSieve.Worker.Pipeline;

/// <summary>The rule set in force; a reloading provider swaps in a new compiled set and keeps the last good one.</summary>
internal interface IRuleSetProvider
{
    CompiledRuleSet Current { get; }
}
