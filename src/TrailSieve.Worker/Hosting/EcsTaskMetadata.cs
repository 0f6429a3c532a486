using System.Text.Json;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The ECS task metadata (cluster, task ARN, family, revision, availability zone) from
/// <c>ECS_CONTAINER_METADATA_URI_V4</c>/task, as OpenTelemetry resource attributes; empty outside ECS or when the
/// endpoint does not answer within a second (telemetry must never delay or stop the service).
/// </summary>
internal static class EcsTaskMetadata
{
    public static async Task<IReadOnlyDictionary<string, object>> ReadAsync(Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal) { ["cloud.provider"] = "aws" };
        var uri = environment("ECS_CONTAINER_METADATA_URI_V4");
        if (string.IsNullOrWhiteSpace(uri))
        {
            return attributes;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            var json = await http.GetStringAsync(new Uri(uri.TrimEnd('/') + "/task"), cancellationToken).ConfigureAwait(false);
            return Parse(json, attributes);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or UriFormatException)
        {
            return attributes;
        }
    }

    internal static IReadOnlyDictionary<string, object> Parse(string taskJson, Dictionary<string, object> attributes)
    {
        using var document = JsonDocument.Parse(taskJson);
        var root = document.RootElement;
        attributes["cloud.platform"] = "aws_ecs";
        Copy(root, "Cluster", "aws.ecs.cluster.arn", attributes);
        Copy(root, "TaskARN", "aws.ecs.task.arn", attributes);
        Copy(root, "Family", "aws.ecs.task.family", attributes);
        Copy(root, "Revision", "aws.ecs.task.revision", attributes);
        Copy(root, "AvailabilityZone", "cloud.availability_zone", attributes);
        Copy(root, "LaunchType", "aws.ecs.launchtype", attributes);
        return attributes;
    }

    private static void Copy(JsonElement root, string property, string attribute, Dictionary<string, object> attributes)
    {
        if (root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            attributes[attribute] = text;
        }
    }
}
