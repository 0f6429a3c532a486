using TrailSieve.Core.Rules;
using TrailSieve.Worker.Cli;

namespace TrailSieve.Worker.Tests.Cli;

public sealed class StartupWarmupTests
{
    [Fact]
    public void Warm_LoadsItsRuleSetAndEvaluatesItsRecord()
    {
        // Given the warm-up that the CLI runs on its second core (it swallows failures there, so a rule set that no
        // longer loads would silently warm nothing)

        // When it runs on this thread
        var action = StartupWarmup.Warm();

        // Then its rule set loaded, and its rule matched the record through the regex
        Assert.Equal(RuleAction.Drop, action);
    }
}
