using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>product</c>: CloudTrail, by AWS, at the record's eventVersion.</summary>
public sealed class OcsfProduct
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("vendor_name")]
    public string VendorName { get; set; } = "AWS";

    /// <summary>CloudTrail's eventVersion.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>CloudTrail's eventCategory (Management, Data, Insight) as the feature.</summary>
    [JsonPropertyName("feature")]
    public OcsfFeature? Feature { get; set; }
}
