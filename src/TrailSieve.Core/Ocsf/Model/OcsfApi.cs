using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>api</c>: the call (eventName), its service (eventSource), request id and error.</summary>
public sealed class OcsfApi
{
    [JsonPropertyName("operation")]
    public string Operation { get; set; } = string.Empty;

    [JsonPropertyName("service")]
    public OcsfService? Service { get; set; }

    [JsonPropertyName("request")]
    public OcsfRequest? Request { get; set; }

    [JsonPropertyName("response")]
    public OcsfResponse? Response { get; set; }

    /// <summary>CloudTrail's apiVersion.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }
}
