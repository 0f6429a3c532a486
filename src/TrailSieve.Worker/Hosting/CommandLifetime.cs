using Microsoft.Extensions.Hosting;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// A host lifetime that does nothing: for a command that runs its own work and handles SIGINT/SIGTERM itself
/// (backfill: the first stops the listing, the second aborts), where the console lifetime would take the signals.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
