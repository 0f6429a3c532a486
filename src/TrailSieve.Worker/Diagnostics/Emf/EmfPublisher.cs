using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>
/// Writes the "TrailSieve" meter's instruments as CloudWatch Embedded Metric Format documents, one JSON line each, to
/// stdout (the awslogs driver sends them to CloudWatch Logs, which extracts the metrics: no PutMetricData calls).
/// A <see cref="MeterListener"/> aggregates per flush interval (counters summed per tag set, histogram values kept,
/// observable gauges read at flush); every <see cref="MetricsOptions.FlushInterval"/> and once more on stop the
/// interval is written and reset. Register it before the services whose metrics it reports: hosted services stop in
/// reverse order, so its final flush then sees their last measurements.
/// </summary>
internal sealed class EmfPublisher : BackgroundService
{
    private readonly Meter _meter;
    private readonly MetricsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EmfPublisher> _logger;
    private readonly TextWriter _output;
    private readonly ConcurrentQueue<EmfInstrument> _instruments = new();
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly MeterListener? _listener;
    private PeriodicTimer? _timer;

    /// <summary>Listens to <paramref name="metrics"/>' meter; writes to <paramref name="output"/>, or stdout (<see cref="Console.Out"/>, synchronised) when null.</summary>
    public EmfPublisher(TrailSieveMetrics metrics, IOptions<MetricsOptions> options, TimeProvider timeProvider, ILogger<EmfPublisher> logger, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        _meter = metrics.Meter;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _output = output ?? Console.Out;
        if (!_options.Enabled)
        {
            return;
        }

        // Listening starts here, not in ExecuteAsync: the host builds every hosted service before starting any, so
        // measurements made while other services start are counted too.
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((EmfInstrument)state!).SeriesFor(tags).Record(value));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((EmfInstrument)state!).SeriesFor(tags).Record(value));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((EmfInstrument)state!).SeriesFor(tags).Record(value));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((EmfInstrument)state!).SeriesFor(tags).Record(value));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((EmfInstrument)state!).SeriesFor(tags).Record(value));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((EmfInstrument)state!).SeriesFor(tags).Record(value));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((EmfInstrument)state!).SeriesFor(tags).Record((double)value));
        _listener.Start();
    }

    /// <summary>
    /// Writes the interval's documents and starts a new interval. Called by the timer, on stop, and by tests. Nothing is
    /// written when disabled or when no instrument recorded anything.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_listener is null)
        {
            return;
        }

        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _listener.RecordObservableInstruments();
            var samples = new List<EmfSample>();
            foreach (var instrument in _instruments)
            {
                foreach (var series in instrument.Series)
                {
                    if (series.Collect() is { } sample)
                    {
                        samples.Add(sample);
                    }
                }
            }

            if (FilterRate(samples) is { } rate)
            {
                samples.Add(rate);
            }

            if (samples.Count == 0)
            {
                return;
            }

            var timestamp = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            try
            {
                foreach (var line in EmfDocumentWriter.Write(_options.Namespace, _options.Dimensions, timestamp, samples))
                {
                    await _output.WriteLineAsync(line).ConfigureAwait(false);
                }

                await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                Log.WriteFailed(_logger, ex);
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary>Starts the interval clock here, not in ExecuteAsync (which runs in the background): the first flush comes one interval after start.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            _timer ??= new PeriodicTimer(_options.FlushInterval, _timeProvider);
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // The last interval is written even when the host's shutdown timeout has passed: it is a few local writes.
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _timer?.Dispose();
        _flushLock.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        Log.Started(_logger, _options.FlushInterval, _options.Namespace);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>FilterRate = RecordsFiltered / RecordsProcessed × 100 over the interval, when records were processed.</summary>
    private static EmfSample? FilterRate(List<EmfSample> samples)
    {
        double processed = 0, filtered = 0;
        foreach (var sample in samples)
        {
            if (sample.Dimensions.Count == 0 && sample.Name == "RecordsProcessed")
            {
                processed += sample.Value;
            }
            else if (sample.Dimensions.Count == 0 && sample.Name == "RecordsFiltered")
            {
                filtered += sample.Value;
            }
        }

        return processed > 0 ? new EmfSample("FilterRate", "Percent", [], string.Empty, filtered / processed * 100) : null;
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (ReferenceEquals(instrument.Meter, _meter))
        {
            var state = new EmfInstrument(instrument);
            _instruments.Enqueue(state);
            listener.EnableMeasurementEvents(instrument, state);
        }
    }
}
