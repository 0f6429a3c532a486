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
            await WaitForAsync(() => HeartbeatFile.Check(path, TimeSpan.Zero, _time).State == HeartbeatState.Fresh, "the first touch");
            for (var tick = 1; tick <= 8; tick++)
            {
                signal.Beat();
                _time.Advance(TimeSpan.FromSeconds(15));
                await WaitForAsync(() => HeartbeatFile.Check(path, TimeSpan.Zero, _time).State == HeartbeatState.Fresh, $"the touch at {tick * 15} s");
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
        using var clock = new ReadCountingClock(_time);
        var (service, _, path) = Create(clock);
        await service.StartAsync(CancellationToken.None);
        try
        {
            // When no beat comes for MaxAge (the ticks at 15, 30 and 45 s still touch)
            for (var tick = 1; tick <= 3; tick++)
            {
                _time.Advance(TimeSpan.FromSeconds(15));
                await WaitForAsync(() => HeartbeatFile.Check(path, TimeSpan.Zero, _time).State == HeartbeatState.Fresh, $"the touch at {tick * 15} s");
            }

            _time.Advance(TimeSpan.FromSeconds(15));
            await WaitForAsync(() => _logger.Collector.GetSnapshot().Any(r => r.Id.Id == 410), "the stall logged at 60 s");

            // and four more ticks are handled (each one waited for, so none is merged into the next), then it stops
            clock.Reset();
            for (var tick = 5; tick <= 8; tick++)
            {
                _time.Advance(TimeSpan.FromSeconds(15));
                await clock.NextReadAsync($"the tick at {tick * 15} s");
            }

            await service.StopAsync(CancellationToken.None);

            // Then the stall is logged once, the last touch was at 45 s, and the file goes stale
            Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 410);
            var status = HeartbeatFile.Check(path, TimeSpan.FromSeconds(60), _time);
            Assert.Equal(new HealthStatus(HeartbeatState.Stale, TimeSpan.FromSeconds(75)), status);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private (LivenessHeartbeat Service, LivenessSignal Signal, string Path) Create(TimeProvider? signalTime = null)
    {
        var path = Path.Combine(_dir, "heartbeat");
        var options = Microsoft.Extensions.Options.Options.Create(new HealthOptions { HeartbeatFile = path, MaxAge = TimeSpan.FromSeconds(60) });
        var signal = new LivenessSignal(signalTime ?? _time);
        return (new LivenessHeartbeat(options, signal, _time, _logger), signal, path);
    }

    /// <summary>Waits for something the service does on its own thread; fails, naming <paramref name="what"/>, after 10 s.</summary>
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, "timed out waiting for " + what);
            await Task.Delay(5, CancellationToken.None);
        }
    }

    /// <summary>
    /// <see cref="LivenessHeartbeat"/> reads <see cref="LivenessSignal.SinceLastBeat"/> once per tick, so a signal on
    /// this clock tells the test that a tick was handled (stalled ticks leave no other trace): the proof that nothing
    /// happened on it.
    /// </summary>
    private sealed class ReadCountingClock(TimeProvider inner) : TimeProvider, IDisposable
    {
        private readonly SemaphoreSlim _reads = new(0);

        public void Dispose() => _reads.Dispose();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp()
        {
            var timestamp = inner.GetTimestamp();
            _reads.Release();
            return timestamp;
        }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        /// <summary>Forgets the reads so far (the signal's own at its creation, the ticks already handled).</summary>
        public void Reset()
        {
            while (_reads.Wait(0))
            {
            }
        }

        public async Task NextReadAsync(string what)
        {
            Assert.True(await _reads.WaitAsync(TimeSpan.FromSeconds(10)), "timed out waiting for " + what);
        }
    }
}
