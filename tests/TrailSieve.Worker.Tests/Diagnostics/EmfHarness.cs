using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Diagnostics.Emf;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Tests.Diagnostics;

/// <summary>A real meter factory, the metrics class, a fake clock and the publisher writing to a string.</summary>
internal sealed class EmfHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    public EmfHarness(Action<MetricsOptions>? configure = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new TrailSieveMetrics(_services.GetRequiredService<IMeterFactory>());
        Options = new MetricsOptions();
        configure?.Invoke(Options);
        Publisher = new EmfPublisher(Metrics, Microsoft.Extensions.Options.Options.Create(Options), Clock, NullLogger<EmfPublisher>.Instance, Output);
    }

    public TrailSieveMetrics Metrics { get; }

    public MetricsOptions Options { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    public SignallingWriter Output { get; } = new();

    public EmfPublisher Publisher { get; }

    /// <summary>Flushes and returns what this flush wrote, parsed and checked against the specification.</summary>
    public async Task<List<EmfDocument>> FlushAsync()
    {
        var before = Output.ToString().Length;
        await Publisher.FlushAsync();
        return EmfSpec.Parse(Output.ToString()[before..]);
    }

    public void Dispose()
    {
        Publisher.Dispose();
        _services.Dispose();
    }
}
