using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>request</c>: the service's request id (requestID); present only when there is one, since uid is required.</summary>
public sealed class OcsfRequest
{
    [JsonPropertyName("uid")]
    public string Uid { get; set; } = string.Empty;
}
