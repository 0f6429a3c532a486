using System.Text;
using System.Text.Json;
using TrailSieve.Worker.Diagnostics.Emf;

namespace TrailSieve.Worker.Tests.Diagnostics;

/// <summary>One parsed EMF document: its directive and the root members it references.</summary>
internal sealed record EmfDocument(string Namespace, long Timestamp, string[] DimensionNames, Dictionary<string, string> Dimensions, Dictionary<string, EmfMetric> Metrics);

internal sealed record EmfMetric(string Unit, double[] Values, bool IsArray);

/// <summary>
/// Parses EMF output, one document per line, and asserts each line follows the CloudWatch Embedded Metric Format
/// specification: <c>_aws</c> with a millisecond <c>Timestamp</c> and <c>CloudWatchMetrics</c> directives (Namespace,
/// Dimensions as arrays of at most 30 names, Metrics of at most 100 with a valid Unit), every dimension a string
/// root member and every metric a number or an array of at most 100 numbers.
/// </summary>
internal static class EmfSpec
{
    /// <summary>The units CloudWatch accepts (MetricDatum.Unit).</summary>
    public static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
        "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    };

    public static List<EmfDocument> Parse(string output)
    {
        var documents = new List<EmfDocument>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(Encoding.UTF8.GetByteCount(line) <= EmfDocumentWriter.MaxDocumentBytes, "a document fits one log event");
            using var json = JsonDocument.Parse(line);
            documents.Add(Validate(json.RootElement));
        }

        return documents;
    }

    private static EmfDocument Validate(JsonElement root)
    {
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var aws = root.GetProperty("_aws");
        Assert.Equal(JsonValueKind.Object, aws.ValueKind);
        var timestamp = aws.GetProperty("Timestamp");
        Assert.Equal(JsonValueKind.Number, timestamp.ValueKind);
        var directives = aws.GetProperty("CloudWatchMetrics");
        Assert.Equal(JsonValueKind.Array, directives.ValueKind);
        Assert.Equal(1, directives.GetArrayLength());
        var directive = directives[0];

        var ns = directive.GetProperty("Namespace").GetString();
        Assert.False(string.IsNullOrEmpty(ns));
        Assert.True(ns.Length <= 255);

        var dimensionNames = new List<string>();
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        var sets = directive.GetProperty("Dimensions");
        Assert.Equal(JsonValueKind.Array, sets.ValueKind);
        foreach (var set in sets.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Array, set.ValueKind);
            Assert.True(set.GetArrayLength() <= 30, "at most 30 dimensions per set");
            foreach (var name in set.EnumerateArray())
            {
                var dimension = name.GetString()!;
                var value = root.GetProperty(dimension);
                Assert.Equal(JsonValueKind.String, value.ValueKind);
                Assert.InRange(value.GetString()!.Length, 1, 1024);
                Assert.All(value.GetString()!, c => Assert.InRange(c, ' ', '~'));
                dimensionNames.Add(dimension);
                dimensions[dimension] = value.GetString()!;
            }
        }

        var metrics = new Dictionary<string, EmfMetric>(StringComparer.Ordinal);
        var definitions = directive.GetProperty("Metrics");
        Assert.InRange(definitions.GetArrayLength(), 1, 100);
        foreach (var definition in definitions.EnumerateArray())
        {
            var name = definition.GetProperty("Name").GetString()!;
            Assert.InRange(name.Length, 1, 255);
            var unit = definition.GetProperty("Unit").GetString()!;
            Assert.Contains(unit, Units);
            var value = root.GetProperty(name);
            var metric = value.ValueKind switch
            {
                JsonValueKind.Number => new EmfMetric(unit, [value.GetDouble()], false),
                JsonValueKind.Array => new EmfMetric(unit, [.. value.EnumerateArray().Select(v => v.GetDouble())], true),
                _ => throw new Xunit.Sdk.XunitException($"metric {name} is {value.ValueKind}"),
            };
            Assert.InRange(metric.Values.Length, 1, 100);
            Assert.True(metrics.TryAdd(name, metric), $"metric {name} declared once per document");
        }

        Assert.Equal(root.EnumerateObject().Count(), 1 + dimensions.Count + metrics.Count);
        return new EmfDocument(ns, timestamp.GetInt64(), [.. dimensionNames], dimensions, metrics);
    }
}
