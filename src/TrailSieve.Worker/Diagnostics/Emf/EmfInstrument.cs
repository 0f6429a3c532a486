using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>One listened-to instrument: its CloudWatch name, unit and aggregation, and a series per tag set.</summary>
internal sealed class EmfInstrument
{
    private readonly string _name;
    private readonly string _unit;
    private readonly EmfAggregation _aggregation;
    private readonly EmfSeries _untagged;
    private readonly ConcurrentDictionary<string, EmfSeries> _tagged = new(StringComparer.Ordinal);

    public EmfInstrument(Instrument instrument)
    {
        (_name, _unit) = EmfNaming.MetricOf(instrument);
        _aggregation = AggregationOf(instrument);
        _untagged = new EmfSeries(_name, _unit, _aggregation, []);
    }

    public IEnumerable<EmfSeries> Series => _tagged.IsEmpty ? [_untagged] : [_untagged, .. _tagged.Values];

    public EmfSeries SeriesFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return _untagged;
        }

        var key = new StringBuilder();
        foreach (var tag in tags)
        {
            key.Append(tag.Key).Append('=').Append(tag.Value).Append('\u001f');
        }

        var text = key.ToString();
        return _tagged.TryGetValue(text, out var series) ? series : _tagged.GetOrAdd(text, Create(tags));
    }

    private EmfSeries Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var name = _name;
        var dimensions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (EmfNaming.IsNameTag(tag.Key))
            {
                name += EmfNaming.NameSuffix(tag.Value);
            }
            else
            {
                dimensions[EmfNaming.DimensionName(tag.Key)] = EmfNaming.DimensionValue(tag.Value);
            }
        }

        return new EmfSeries(name, _unit, _aggregation, [.. dimensions]);
    }

    private static EmfAggregation AggregationOf(Instrument instrument)
    {
        if (instrument.IsObservable)
        {
            return EmfAggregation.Last;
        }

        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(Histogram<>) ? EmfAggregation.Distribution
            : definition == typeof(Gauge<>) ? EmfAggregation.Last
            : EmfAggregation.Sum;
    }
}
