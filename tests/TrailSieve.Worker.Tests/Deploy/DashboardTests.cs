using System.Text.Json;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Deploy;

public sealed class DashboardTests
{
    private static readonly string[] Namespaces = ["TrailSieve", "AWS/SQS"];

    [Fact]
    public void Dashboard_EveryMetric_InTrailSieveOrSqsNamespace()
    {
        foreach (var (widget, metric) in Metrics())
        {
            if (metric[0].ValueKind == JsonValueKind.Object)
            {
                var expression = metric[0].GetProperty("expression").GetString()!;
                Assert.True(Namespaces.Any(n => expression.Contains("{" + n + ",", StringComparison.Ordinal)), $"{widget}: {expression}");
            }
            else
            {
                Assert.Contains(metric[0].GetString(), Namespaces);
            }
        }
    }

    [Fact]
    public void Dashboard_ShowsTheWorkerAndQueueMetrics()
    {
        var shown = Metrics().Select(m => m.Metric[0].ValueKind == JsonValueKind.Object ? m.Metric[0].GetProperty("expression").GetString()! : m.Metric[1].GetString()!).ToList();

        foreach (var name in (string[])[
            "RecordsProcessed", "RecordsFiltered", "FilterRate", "ProcessingTime", "Errors", "MessagesReceived", "MessagesDeleted",
            "OldestInFlightMessageAge", "ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"])
        {
            Assert.Contains(shown, s => s == name || s.Contains($"MetricName=\"{name}\"", StringComparison.Ordinal));
        }

        Assert.Contains(shown, s => s.Contains("{TrailSieve,ErrorType}", StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboard_ProcessingTime_P50AndP99()
    {
        var stats = Metrics()
            .Where(m => m.Metric[0].ValueKind == JsonValueKind.String && m.Metric[1].GetString() == "ProcessingTime")
            .Select(m => m.Metric[^1].GetProperty("stat").GetString());

        Assert.Equal(["p50", "p99"], stats.Order());
    }

    [Fact]
    public void Dashboard_SqsMetrics_UseTheQueueNamePlaceholder()
    {
        var sqs = Metrics().Where(m => m.Metric[0].ValueKind == JsonValueKind.String && m.Metric[0].GetString() == "AWS/SQS").ToList();

        Assert.NotEmpty(sqs);
        Assert.All(sqs, m => Assert.Equal("QueueName=QUEUE_NAME", $"{m.Metric[2].GetString()}={m.Metric[3].GetString()}"));
    }

    private static List<(string Widget, JsonElement[] Metric)> Metrics()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "ecs", "dashboard.json")));
        var metrics = new List<(string, JsonElement[])>();
        foreach (var widget in document.RootElement.GetProperty("widgets").EnumerateArray())
        {
            var properties = widget.GetProperty("properties");
            if (widget.GetProperty("type").GetString() != "metric")
            {
                continue;
            }

            var title = properties.GetProperty("title").GetString()!;
            var list = properties.GetProperty("metrics").EnumerateArray().Select(m => m.EnumerateArray().Select(e => e.Clone()).ToArray()).ToList();
            Assert.NotEmpty(list);
            metrics.AddRange(list.Select(m => (title, m)));
        }

        Assert.NotEmpty(metrics);
        return metrics;
    }
}
