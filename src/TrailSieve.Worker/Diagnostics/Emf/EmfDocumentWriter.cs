using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>
/// Renders an interval's samples as CloudWatch Embedded Metric Format documents, one JSON line each: one document per
/// dimension set (fixed dimensions plus the series' tag dimensions), at most 100 metrics and 100 values per metric per
/// document, and small enough to stay one log event after Docker's 16 KiB line split.
/// </summary>
internal static class EmfDocumentWriter
{
    public const int MaxMetricsPerDocument = 100;

    public const int MaxValuesPerMetric = 100;

    /// <summary>Docker log drivers cut lines at 16 KiB; a document must stay whole to be parsed as EMF.</summary>
    public const int MaxDocumentBytes = 15 * 1024;

    public static IEnumerable<string> Write(string metricNamespace, IReadOnlyDictionary<string, string> fixedDimensions, long timestampMs, IEnumerable<EmfSample> samples)
    {
        foreach (var group in samples.GroupBy(s => s.DimensionKey, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var dimensions = MergeDimensions(fixedDimensions, group.First().Dimensions);
            foreach (var page in Paginate(group.SelectMany(Entries)))
            {
                foreach (var line in Render(metricNamespace, dimensions, timestampMs, page))
                {
                    yield return line;
                }
            }
        }
    }

    private static List<KeyValuePair<string, string>> MergeDimensions(IReadOnlyDictionary<string, string> fixedDimensions, IReadOnlyList<KeyValuePair<string, string>> tagDimensions)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fixedDimensions)
        {
            merged[name] = value;
        }

        foreach (var (name, value) in tagDimensions)
        {
            merged[name] = value;
        }

        return [.. merged];
    }

    /// <summary>A sample as metric entries: a number, or its values in arrays of at most 100.</summary>
    private static IEnumerable<EmfEntry> Entries(EmfSample sample)
    {
        if (sample.Values is not { } values)
        {
            yield return new EmfEntry(sample.Name, sample.Unit, sample.Value, default);
            yield break;
        }

        for (var start = 0; start < values.Length; start += MaxValuesPerMetric)
        {
            yield return new EmfEntry(sample.Name, sample.Unit, 0, new ArraySegment<double>(values, start, Math.Min(MaxValuesPerMetric, values.Length - start)));
        }
    }

    /// <summary>Greedy packing: at most 100 metrics per document and each name once (a root member appears once).</summary>
    private static List<List<EmfEntry>> Paginate(IEnumerable<EmfEntry> entries)
    {
        var pages = new List<(List<EmfEntry> Entries, HashSet<string> Names)>();
        foreach (var entry in entries)
        {
            var page = pages.FirstOrDefault(p => p.Entries.Count < MaxMetricsPerDocument && !p.Names.Contains(entry.Name));
            if (page.Entries is null)
            {
                page = ([], new HashSet<string>(StringComparer.Ordinal));
                pages.Add(page);
            }

            page.Entries.Add(entry);
            page.Names.Add(entry.Name);
        }

        return [.. pages.Select(p => p.Entries)];
    }

    private static IEnumerable<string> Render(string metricNamespace, List<KeyValuePair<string, string>> dimensions, long timestampMs, List<EmfEntry> page)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteDocument(writer, metricNamespace, dimensions, timestampMs, page);
        }

        if (buffer.WrittenCount > MaxDocumentBytes && page.Count > 1)
        {
            var half = page.Count / 2;
            return Render(metricNamespace, dimensions, timestampMs, page[..half]).Concat(Render(metricNamespace, dimensions, timestampMs, page[half..]));
        }

        return [Encoding.UTF8.GetString(buffer.WrittenSpan)];
    }

    private static void WriteDocument(Utf8JsonWriter writer, string metricNamespace, List<KeyValuePair<string, string>> dimensions, long timestampMs, List<EmfEntry> page)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("_aws"u8);
        writer.WriteNumber("Timestamp"u8, timestampMs);
        writer.WriteStartArray("CloudWatchMetrics"u8);
        writer.WriteStartObject();
        writer.WriteString("Namespace"u8, metricNamespace);
        writer.WriteStartArray("Dimensions"u8);
        writer.WriteStartArray();
        foreach (var (name, _) in dimensions)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.WriteStartArray("Metrics"u8);
        foreach (var entry in page)
        {
            writer.WriteStartObject();
            writer.WriteString("Name"u8, entry.Name);
            writer.WriteString("Unit"u8, entry.Unit);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();

        foreach (var (name, value) in dimensions)
        {
            writer.WriteString(name, value);
        }

        foreach (var entry in page)
        {
            if (entry.Values.Array is null)
            {
                writer.WriteNumber(entry.Name, entry.Value);
                continue;
            }

            writer.WriteStartArray(entry.Name);
            foreach (var value in entry.Values)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private readonly record struct EmfEntry(string Name, string Unit, double Value, ArraySegment<double> Values);
}
