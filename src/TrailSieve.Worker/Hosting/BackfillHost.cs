using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The host <c>trailsieve backfill</c> runs in: the service's configuration sources, console logging (JSON with
/// <c>TRAILSIEVE_LOG_FORMAT=json</c>) and metrics (the TrailSieve meter, EMF on stdout, OTLP when configured), and
/// none of its workers. So a backfill task's findings, errors and records reach CloudWatch as the service's do.
/// Stopping the host writes the last EMF interval; the command stops it before it exits.
/// </summary>
internal static class BackfillHost
{
    /// <param name="environment">The process environment.</param>
    /// <param name="terminal">
    /// stdout is a terminal, where the progress bar is drawn: unless configured otherwise, only warnings and errors are
    /// logged there (not a line per object) and no EMF documents are written (they are for CloudWatch).
    /// </param>
    /// <param name="resourceAttributes">OpenTelemetry resource attributes (the ECS task metadata).</param>
    public static IHost Build(Func<string, string?> environment, bool terminal, IReadOnlyDictionary<string, object> resourceAttributes)
    {
        var builder = ServiceHost.CreateBuilder(new Dictionary<string, string?>(), environment);
        if (terminal)
        {
            // Lowest precedence: LOG_LEVEL, METRICS_ENABLED, appsettings.json and the like still win.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?>
                {
                    ["Logging:LogLevel:Default"] = "Warning",
                    [$"{Options.MetricsOptions.SectionName}:{nameof(Options.MetricsOptions.Enabled)}"] = "false",
                },
            });
        }

        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.AddSingleton(TimeProvider.System);
        ServiceHost.AddMetrics(builder.Services, builder.Configuration, environment, resourceAttributes);
        return builder.Build();
    }
}
