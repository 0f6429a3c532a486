using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// Touches the heartbeat file every quarter of <see cref="HealthOptions.MaxAge"/> while <see cref="LivenessSignal"/>
/// has beaten within <see cref="HealthOptions.MaxAge"/>. A hung worker stops beating, the file goes stale, and
/// <c>trailsieve health</c> (the container's HEALTHCHECK) fails, so ECS replaces the task.
/// </summary>
internal sealed class LivenessHeartbeat(IOptions<HealthOptions> options, LivenessSignal signal, TimeProvider timeProvider, ILogger<LivenessHeartbeat> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var health = options.Value;
        var file = new HeartbeatFile(health.HeartbeatFile, timeProvider);
        using var timer = new PeriodicTimer(health.MaxAge / 4, timeProvider);
        var stalled = false;
        try
        {
            do
            {
                var silence = signal.SinceLastBeat;
                if (silence >= health.MaxAge)
                {
                    if (!stalled)
                    {
                        Log.LivenessStalled(logger, silence, file.Path);
                    }

                    stalled = true;
                    continue;
                }

                stalled = false;
                try
                {
                    file.Touch();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.HeartbeatWriteFailed(logger, file.Path, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
