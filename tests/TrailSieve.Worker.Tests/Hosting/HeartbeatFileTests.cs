using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Hosting;

namespace TrailSieve.Worker.Tests.Hosting;

public sealed class HeartbeatFileTests : IDisposable
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-heartbeat-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Touch_WritesTheUtcTimeInIso8601AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_dir, "sub", "heartbeat");

        new HeartbeatFile(path, _time).Touch();

        Assert.Equal("2026-01-01T12:00:00.0000000+00:00", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Path.Combine(_dir, "sub")));
    }

    [Fact]
    public void Check_RecentHeartbeat_FreshWithItsAge()
    {
        var path = Path.Combine(_dir, "heartbeat");
        new HeartbeatFile(path, _time).Touch();
        _time.Advance(TimeSpan.FromSeconds(42));

        var status = HeartbeatFile.Check(path, MaxAge, _time);

        Assert.Equal(new HealthStatus(HeartbeatState.Fresh, TimeSpan.FromSeconds(42)), status);
    }

    [Fact]
    public void Check_HeartbeatOlderThanMaxAge_StaleWithItsAge()
    {
        var path = Path.Combine(_dir, "heartbeat");
        new HeartbeatFile(path, _time).Touch();
        _time.Advance(TimeSpan.FromSeconds(61));

        var status = HeartbeatFile.Check(path, MaxAge, _time);

        Assert.Equal(new HealthStatus(HeartbeatState.Stale, TimeSpan.FromSeconds(61)), status);
    }

    [Fact]
    public void Check_TouchedAgain_FreshAgain()
    {
        var path = Path.Combine(_dir, "heartbeat");
        var file = new HeartbeatFile(path, _time);
        file.Touch();
        _time.Advance(TimeSpan.FromMinutes(5));

        file.Touch();

        Assert.Equal(new HealthStatus(HeartbeatState.Fresh, TimeSpan.Zero), HeartbeatFile.Check(path, MaxAge, _time));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a time")]
    public void Check_NoFileOrNoTimeInIt_Missing(string? content)
    {
        var path = Path.Combine(_dir, "heartbeat");
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        var status = HeartbeatFile.Check(path, MaxAge, _time);

        Assert.Equal(HeartbeatState.Missing, status.State);
    }

    [Fact]
    public void Check_MissingFolder_Missing()
    {
        var status = HeartbeatFile.Check(Path.Combine(_dir, "nowhere", "heartbeat"), MaxAge, _time);

        Assert.Equal(HeartbeatState.Missing, status.State);
    }
}
