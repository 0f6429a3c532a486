using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>http_request</c>: the caller's user agent.</summary>
public sealed class OcsfHttpRequest
{
    [JsonPropertyName("user_agent")]
    public string? UserAgent { get; set; }
}
