using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>cloud</c>: AWS, the record's region and the account that received it.</summary>
public sealed class OcsfCloud
{
    [JsonPropertyName("provider")]
    public string Provider { get; set; } = "AWS";

    [JsonPropertyName("region")]
    public string? Region { get; set; }

    [JsonPropertyName("account")]
    public OcsfAccount? Account { get; set; }
}
