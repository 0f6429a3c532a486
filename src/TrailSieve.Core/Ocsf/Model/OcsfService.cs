using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>service</c>: an AWS service by its endpoint name (eventSource).</summary>
public sealed class OcsfService
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
