using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>policy</c>: a managed policy by ARN (policyArn), or an inline one by name (policyName).</summary>
public sealed class OcsfPolicy
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }
}
