using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Worker.Hosting;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Hosting;

public sealed class LivenessHeartbeatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-liveness-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<LivenessHeartbeat> _logger = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LivenessSignal_Beat_ResetsSinceLastBeat()
    {
        var signal = new LivenessSignal(_time);
        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), signal.SinceLastBeat);

        signal.Beat();

        Assert.Equal(TimeSpan.Zero, signal.SinceLastBeat);
    }

    [Fact]
    public async Task ExecuteAsync_WhileBeating_TouchesEveryQuarterOfMaxAge()
    {
        // Given a heartbeat service with MaxAge 60 s (a touch every 15 s) and a worker that beats
        var (service, signal, path) = Create();

        // When it runs
        await service.StartAsync(CancellationToken.None);
        try
        {
            // Then the file is touched at once and on every tick while the beats go on
            await WaitForAsync(() => HeartbeatFile.Check(path, TimeSpan.Zero, _time).State == HeartbeatState.Fresh);
            for (var tick = 0; tick < 8; tick++)
            {
                signal.Beat();
                _time.Advance(TimeSpan.FromSeconds(15));
                await WaitForAsync(() => HeartbeatFile.Check(path, TimeSpan.Zero, _time).State == HeartbeatState.Fresh);
                Assert.Equal(HeartbeatState.Fresh, HeartbeatFile.Check(path, TimeSpan.Zero, _time).State);
            }
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_BeatsStop_StopsTouchingSoTheFileGoesStale()
    {
        // Given a running heartbeat service and a worker that beat once, at the start
        var (service, _, path) = Create();
        await service.StartAsync(CancellationToken.None);
        try
        {
            // When no beat comes for MaxAge (the ticks at 15, 30 and 45 s still touch)
            for (var tick = 0; tick < 3; tick++)
            {
                _time.Advance(TimeSpan.FromSeconds(15));
                await WaitForAsync(() => HeartbeatFile.Check(path, TimeSpan.Zero, _time).State == HeartbeatState.Fresh);
            }

            _time.Advance(TimeSpan.FromSeconds(15));
            await WaitForAsync(() => _logger.Collector.GetSnapshot().Any(r => r.Id.Id == 410));

            // Then the stall is logged once, the last touch was at 45 s, and the file goes stale
            for (var tick = 0; tick < 4; tick++)
            {
                _time.Advance(TimeSpan.FromSeconds(15));
                await Task.Delay(5);
            }

            Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 410);
            var status = HeartbeatFile.Check(path, TimeSpan.FromSeconds(60), _time);
            Assert.Equal(new HealthStatus(HeartbeatState.Stale, TimeSpan.FromSeconds(75)), status);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private (LivenessHeartbeat Service, LivenessSignal Signal, string Path) Create()
    {
        var path = Path.Combine(_dir, "heartbeat");
        var options = Microsoft.Extensions.Options.Options.Create(new HealthOptions { HeartbeatFile = path, MaxAge = TimeSpan.FromSeconds(60) });
        var signal = new LivenessSignal(_time);
        return (new LivenessHeartbeat(options, signal, _time, _logger), signal, path);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(5);
        }
    }
}
