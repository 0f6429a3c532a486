using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>account</c>: an AWS account (type_id 10).</summary>
public sealed class OcsfAccount
{
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("type_id")]
    public int? TypeId { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }
}
