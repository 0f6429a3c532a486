using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Batching;

namespace TrailSieve.Core.Tests.Batching;

public class BatchPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void IsFull_BelowAndAtMaxBytes_FullOnlyAtTheLimit()
    {
        // Given a 1,000-byte policy
        var policy = new BatchPolicy(1000, TimeSpan.FromMinutes(1), _time);

        // Then
        Assert.False(policy.IsFull(999));
        Assert.True(policy.IsFull(1000));
        Assert.True(policy.IsFull(5000));
    }

    [Fact]
    public void DueIn_AsTheClockMoves_CountsDownToZeroAndBelow()
    {
        // Given a batch opened now under a 60 s age
        var policy = new BatchPolicy(1000, TimeSpan.FromSeconds(60), _time);
        var opened = policy.Opened();

        // When the clock moves 45 s
        _time.Advance(TimeSpan.FromSeconds(45));

        // Then it is due in 15 s, and not yet due
        Assert.Equal(TimeSpan.FromSeconds(15), policy.DueIn(opened));
        Assert.False(policy.IsDue(opened));

        // When it reaches its age, and passes it
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.True(policy.IsDue(opened));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(-5), policy.DueIn(opened));
        Assert.True(policy.IsDue(opened));
    }

    [Fact]
    public void IsDue_TwoBatchesOpenedApart_EachAgesFromItsOwnOpening()
    {
        // Given one batch opened at 0 s and another at 30 s, under a 60 s age
        var policy = new BatchPolicy(1000, TimeSpan.FromSeconds(60), _time);
        var first = policy.Opened();
        _time.Advance(TimeSpan.FromSeconds(30));
        var second = policy.Opened();

        // When 60 s have passed since the first
        _time.Advance(TimeSpan.FromSeconds(30));

        // Then only the first is due
        Assert.True(policy.IsDue(first));
        Assert.False(policy.IsDue(second));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.DueIn(second));
    }

    [Theory]
    [InlineData(0, 60)]
    [InlineData(-1, 60)]
    [InlineData(1000, 0)]
    [InlineData(1000, -1)]
    public void Constructor_LimitNotPositive_Throws(long maxBytes, int maxAgeSeconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPolicy(maxBytes, TimeSpan.FromSeconds(maxAgeSeconds), _time));
    }
}
