using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>metadata</c>: the schema version, the product that logged the event, and the event's own id.</summary>
public sealed class OcsfMetadata
{
    [JsonPropertyName("version")]
    public string Version { get; set; } = OcsfSchema.Version;

    [JsonPropertyName("product")]
    public OcsfProduct Product { get; set; } = new();

    /// <summary>CloudTrail's eventID.</summary>
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    /// <summary>CloudTrail's eventType (AwsApiCall, AwsConsoleSignIn, ...).</summary>
    [JsonPropertyName("event_code")]
    public string? EventCode { get; set; }

    [JsonPropertyName("profiles")]
    public List<string>? Profiles { get; set; }

    /// <summary>What wrote the OCSF event: TrailSieve.</summary>
    [JsonPropertyName("log_provider")]
    public string? LogProvider { get; set; }
}
