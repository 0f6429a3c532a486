using TrailSieve.Core.Rules;

namespace TrailSieve.Worker.Pipeline;

/// <summary>A rule set loaded once (the CLI commands).</summary>
internal sealed class StaticRuleSetProvider(CompiledRuleSet ruleSet) : IRuleSetProvider
{
    public CompiledRuleSet Current { get; } = ruleSet;
}
