using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class BackfillEstimateTests
{
    [Fact]
    public void Of_ScalePlanYear_EightReadersAreByteBoundTwoAreObjectBound()
    {
        // Given a year of the scale plan's trail: 178.7 M objects of 36.6 kB, 6.54 TB, on 6 MB/s tasks
        var eight = BackfillEstimate.Of(178_700_000, 6_540_000_000_000, 6, 200, tasks: 20);
        var two = BackfillEstimate.Of(178_700_000, 6_540_000_000_000, 6, 50, tasks: 20);

        // Then at 200 objects/s the bytes take longer (1,090,000 s against 893,500), at 50 objects/s the objects do
        Assert.False(eight.ObjectBound);
        Assert.Equal(TimeSpan.FromSeconds(1_090_000), eight.PerTask);
        Assert.Equal(TimeSpan.FromSeconds(54_500), eight.WithTasks);
        Assert.True(two.ObjectBound);
        Assert.Equal(TimeSpan.FromSeconds(3_574_000), two.PerTask);
    }

    [Fact]
    public void Of_ObjectsTakeLonger_TheirTimeIsTheEstimateAndNTasksShareIt()
    {
        // Given 1,000 objects of 1 kB: 1 s of bytes at 1 MB/s, 10 s of objects at 100 per second
        var estimate = BackfillEstimate.Of(1_000, 1_000_000, 1, 100, tasks: 4);

        Assert.True(estimate.ObjectBound);
        Assert.Equal(TimeSpan.FromSeconds(10), estimate.PerTask);
        Assert.Equal(TimeSpan.FromSeconds(2.5), estimate.WithTasks);
    }

    [Theory]
    [InlineData(2, 57.1)]
    [InlineData(8, 200)]
    [InlineData(1, 28.6)]
    public void DefaultObjectsPerSecond_ReadersOverLatencyPlusWorkAtMostTheMeasuredRate(int readers, double expected) =>
        Assert.Equal(expected, BackfillEstimate.DefaultObjectsPerSecond(readers), precision: 1);
}
