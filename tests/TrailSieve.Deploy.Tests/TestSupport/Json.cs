using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrailSieve.Deploy.Tests.TestSupport;

/// <summary>Small readers of CloudFormation JSON, where a list may be written as a single value.</summary>
public static class Json
{
    /// <summary>A string or an array of strings as a list (IAM's Action and Resource accept both).</summary>
    public static List<JsonNode> Many(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(n => n!)],
        _ => [node],
    };

    public static List<string> Strings(JsonNode? node) => [.. Many(node).Select(n => (string)n!)];

    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The template JSON of a node (quotes as \", not \u0022), for searching intrinsic functions.</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString(s_relaxed) ?? "null";

    /// <summary>A string value, with Fn::Join resolved and Ref/Fn::GetAtt written as ${Id} / ${Id.Attribute}.</summary>
    public static string Flat(JsonNode? node) => node switch
    {
        JsonValue value => value.ToString(),
        JsonObject obj when obj["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(Flat)),
        JsonObject obj when obj["Ref"] is { } reference => "${" + (string)reference! + "}",
        JsonObject obj when obj["Fn::GetAtt"] is JsonArray attribute => "${" + (string)attribute[0]! + "." + (string)attribute[1]! + "}",
        _ => Text(node),
    };
}
