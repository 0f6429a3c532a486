using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>feature</c>: the part of the product that logged the event.</summary>
public sealed class OcsfFeature
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
