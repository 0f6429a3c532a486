using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// The dashboard of deploy/ecs/dashboard.json (embedded), with its placeholders bound to this stack (queue name,
/// region, metric namespace), plus the scaling signal (backlog per task, running tasks) and findings by severity.
/// </summary>
internal sealed class Dashboard : Construct
{
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Dashboard(Construct scope, string id, DeploySettings settings, NotificationQueue queue, WorkerService service)
        : base(scope, id)
    {
        var body = Body(settings.MetricsNamespace, queue.Queue.QueueName, Aws.REGION, service.Cluster.ClusterName, service.Service.ServiceName);
        Resource = new CfnDashboard(this, "Resource", new CfnDashboardProps
        {
            DashboardName = settings.StackName,
            DashboardBody = body,
        });
    }

    public CfnDashboard Resource { get; }

    /// <summary>The dashboard body; the values may be CDK tokens, which stay intact inside JSON strings.</summary>
    public static string Body(string metricNamespace, string queueName, string region, string clusterName, string serviceName)
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("TrailSieve.Deploy.dashboard.json")
            ?? throw new InvalidOperationException("dashboard.json is not embedded in the assembly");
        var root = JsonNode.Parse(stream)!.AsObject();
        var widgets = root["widgets"]!.AsArray();
        foreach (var widget in widgets)
        {
            Bind(widget!, metricNamespace, queueName, region);
        }

        var y = widgets.Max(w => w!["y"]!.GetValue<int>() + w["height"]!.GetValue<int>());
        widgets.Add(Widget(0, y, "Backlog per task (scaling metric) and running tasks", region, new JsonArray(
            new JsonArray(new JsonObject { ["expression"] = "visible / running", ["id"] = "backlog", ["label"] = "visible messages per task" }),
            new JsonArray("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queueName, new JsonObject { ["id"] = "visible", ["visible"] = false }),
            new JsonArray("ECS/ContainerInsights", "RunningTaskCount", "ClusterName", clusterName, "ServiceName", serviceName, new JsonObject { ["id"] = "running", ["yAxis"] = "right", ["label"] = "running tasks" }))));
        widgets.Add(Widget(12, y, "Findings by severity", region, new JsonArray(
            new JsonArray(new JsonObject
            {
                ["expression"] = $"SEARCH('{{{metricNamespace},{WorkerContract.DetectionDimension},{WorkerContract.SeverityDimension}}} MetricName=\"{WorkerContract.FindingsMetric}\"', 'Sum', 300)",
                ["id"] = "findings",
                ["label"] = string.Empty,
            }))));
        return root.ToJsonString(s_json);
    }

    private static void Bind(JsonNode node, string metricNamespace, string queueName, string region)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[name] = Replace(text, metricNamespace, queueName, region);
                    }
                    else if (child is not null)
                    {
                        Bind(child, metricNamespace, queueName, region);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = Replace(text, metricNamespace, queueName, region);
                    }
                    else if (array[i] is { } child)
                    {
                        Bind(child, metricNamespace, queueName, region);
                    }
                }

                break;
        }
    }

    private static string Replace(string text, string metricNamespace, string queueName, string region) => text switch
    {
        "REGION" => region,
        "QUEUE_NAME" => queueName,
        WorkerContract.DefaultMetricsNamespace => metricNamespace,
        _ => text.Replace("{" + WorkerContract.DefaultMetricsNamespace + ",", "{" + metricNamespace + ",", StringComparison.Ordinal),
    };

    private static JsonObject Widget(int x, int y, string title, string region, JsonArray metrics) => new()
    {
        ["type"] = "metric",
        ["x"] = x,
        ["y"] = y,
        ["width"] = 12,
        ["height"] = 6,
        ["properties"] = new JsonObject
        {
            ["title"] = title,
            ["view"] = "timeSeries",
            ["stacked"] = false,
            ["region"] = region,
            ["period"] = 60,
            ["stat"] = "Average",
            ["metrics"] = metrics,
        },
    };
}
