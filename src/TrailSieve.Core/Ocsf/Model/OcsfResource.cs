using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>resource_details</c>: one of CloudTrail's resources.</summary>
public sealed class OcsfResource
{
    /// <summary>The resource's ARN.</summary>
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>Who owns it: only its account (CloudTrail's resources[].accountId).</summary>
    [JsonPropertyName("owner")]
    public OcsfUser? Owner { get; set; }
}
