using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// OpenTelemetry export (metrics and traces over OTLP) when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, in
/// configuration or the environment. The standard OTEL_* variables (protocol, headers, export interval, service name)
/// are read by the SDK itself. The resource carries the service name and version and, on ECS, the task metadata.
/// </summary>
internal static class Telemetry
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool IsEnabled(IConfiguration configuration, Func<string, string?> environment) =>
        !string.IsNullOrWhiteSpace(configuration[EndpointVariable] ?? environment(EndpointVariable));

    public static void Add(IServiceCollection services, IReadOnlyDictionary<string, object> resourceAttributes)
    {
        var version = typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService("trailsieve", serviceVersion: version)
                .AddAttributes(resourceAttributes))
            .WithMetrics(metrics => metrics.AddMeter(TrailSieveMetrics.MeterName).AddOtlpExporter())
            .WithTracing(tracing => tracing.AddSource(TrailSieveMetrics.ActivitySourceName).AddOtlpExporter());
    }
}
