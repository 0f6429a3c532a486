using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>
/// One OCSF 1.1.0 event as written to Parquet: the union of the attributes TrailSieve fills for its three classes
/// (API Activity, Authentication, Account Change), so every object has the same fixed schema; an attribute a class
/// does not have is null. Column names are OCSF's (<see cref="JsonPropertyNameAttribute"/>), nested objects are structs.
/// </summary>
public sealed class OcsfEvent
{
    [JsonPropertyName("activity_id")]
    public int ActivityId { get; set; }

    [JsonPropertyName("activity_name")]
    public string? ActivityName { get; set; }

    [JsonPropertyName("category_uid")]
    public int CategoryUid { get; set; }

    [JsonPropertyName("category_name")]
    public string? CategoryName { get; set; }

    [JsonPropertyName("class_uid")]
    public int ClassUid { get; set; }

    [JsonPropertyName("class_name")]
    public string? ClassName { get; set; }

    [JsonPropertyName("type_uid")]
    public long TypeUid { get; set; }

    [JsonPropertyName("type_name")]
    public string? TypeName { get; set; }

    [JsonPropertyName("severity_id")]
    public int SeverityId { get; set; }

    [JsonPropertyName("severity")]
    public string? Severity { get; set; }

    /// <summary>eventTime, milliseconds since the Unix epoch (OCSF timestamp_t).</summary>
    [JsonPropertyName("time")]
    public long Time { get; set; }

    [JsonPropertyName("status_id")]
    public int? StatusId { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("status_code")]
    public string? StatusCode { get; set; }

    [JsonPropertyName("status_detail")]
    public string? StatusDetail { get; set; }

    [JsonPropertyName("metadata")]
    public OcsfMetadata Metadata { get; set; } = new();

    [JsonPropertyName("actor")]
    public OcsfActor? Actor { get; set; }

    [JsonPropertyName("api")]
    public OcsfApi? Api { get; set; }

    [JsonPropertyName("src_endpoint")]
    public OcsfEndpoint? SrcEndpoint { get; set; }

    [JsonPropertyName("http_request")]
    public OcsfHttpRequest? HttpRequest { get; set; }

    [JsonPropertyName("cloud")]
    public OcsfCloud Cloud { get; set; } = new();

    [JsonPropertyName("resources")]
    public List<OcsfResource>? Resources { get; set; }

    /// <summary>Authentication and Account Change: the user signing in, or the user account changed.</summary>
    [JsonPropertyName("user")]
    public OcsfUser? User { get; set; }

    /// <summary>Account Change: the policy attached or detached.</summary>
    [JsonPropertyName("policy")]
    public OcsfPolicy? Policy { get; set; }

    /// <summary>Authentication: the service signed in to.</summary>
    [JsonPropertyName("service")]
    public OcsfService? Service { get; set; }

    /// <summary>Authentication: whether multi-factor authentication was used (ConsoleLogin's additionalEventData.MFAUsed).</summary>
    [JsonPropertyName("is_mfa")]
    public bool? IsMfa { get; set; }

    /// <summary>The original record's exact text (<c>Output:OcsfRawData</c> raw_data).</summary>
    [JsonPropertyName("raw_data")]
    public string? RawData { get; set; }

    /// <summary>The record's top-level fields no attribute holds, each as its JSON text (<c>Output:OcsfRawData</c> unmapped).</summary>
    [JsonPropertyName("unmapped")]
    public Dictionary<string, string>? Unmapped { get; set; }
}
