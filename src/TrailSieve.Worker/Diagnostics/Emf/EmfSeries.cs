namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>
/// The aggregate of one instrument for one tag set over the current interval. Measurements arrive from any thread;
/// a short lock guards the few fields (measurements are per file, chunk or batch, never per record).
/// </summary>
internal sealed class EmfSeries(string name, string unit, EmfAggregation aggregation, IReadOnlyList<KeyValuePair<string, string>> dimensions)
{
    /// <summary>
    /// Histogram values kept per interval, at most; past it a uniform reservoir sample is kept, so percentiles stay
    /// unbiased while memory and output stay bounded (10 EMF arrays of 100 values).
    /// </summary>
    public const int MaxValuesPerInterval = 1000;

    private readonly Lock _lock = new();
    private double _sum;
    private long _count;
    private List<double>? _values;

    public string Name { get; } = name;

    public IReadOnlyList<KeyValuePair<string, string>> Dimensions { get; } = dimensions;

    public string DimensionKey { get; } = string.Join('\u001f', dimensions.Select(d => $"{d.Key}={d.Value}"));

    public void Record(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        lock (_lock)
        {
            _count++;
            switch (aggregation)
            {
                case EmfAggregation.Sum:
                    _sum += value;
                    break;
                case EmfAggregation.Last:
                    _sum = value;
                    break;
                default:
                    _values ??= [];
                    if (_values.Count < MaxValuesPerInterval)
                    {
                        _values.Add(value);
                    }
                    else if (Random.Shared.NextInt64(_count) is var slot && slot < MaxValuesPerInterval)
                    {
                        _values[(int)slot] = value;
                    }

                    break;
            }
        }
    }

    /// <summary>The interval's data, and a fresh interval; null when nothing was recorded.</summary>
    public EmfSample? Collect()
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            var sample = new EmfSample(Name, unit, Dimensions, DimensionKey, _sum, _values?.ToArray());
            _count = 0;
            _sum = 0;
            _values?.Clear();
            return sample;
        }
    }
}
