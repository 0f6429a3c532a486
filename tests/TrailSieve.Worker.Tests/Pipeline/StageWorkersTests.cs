using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Tests.Pipeline;

public class StageWorkersTests
{
    [Fact]
    public void ReserveThreads_MoreLoopsThanThePoolsMinimum_RaisedToThemNeverLowered()
    {
        // Given the pool's minimum now
        ThreadPool.GetMinThreads(out var before, out var completionBefore);

        // When a composition asks for more loops than that, then for fewer
        StageWorkers.ReserveThreads(before + 3);
        ThreadPool.GetMinThreads(out var raised, out var completionRaised);
        StageWorkers.ReserveThreads(1);
        ThreadPool.GetMinThreads(out var after, out _);

        // Then the minimum is raised to the loops (completion ports untouched), and a smaller ask leaves it there
        // (at least: tests running beside this one compose pipelines, which raise it too)
        Assert.True(raised >= before + 3, $"minimum {raised}, asked for {before + 3}");
        Assert.Equal(completionBefore, completionRaised);
        Assert.True(after >= raised, $"minimum {after} after asking for 1, was {raised}");
    }
}
