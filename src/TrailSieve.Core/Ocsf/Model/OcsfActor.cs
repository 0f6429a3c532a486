using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>actor</c>: who made the call (CloudTrail's userIdentity).</summary>
public sealed class OcsfActor
{
    [JsonPropertyName("user")]
    public OcsfUser? User { get; set; }

    [JsonPropertyName("session")]
    public OcsfSession? Session { get; set; }

    /// <summary>userIdentity.invokedBy: the AWS service that made the call for the user.</summary>
    [JsonPropertyName("invoked_by")]
    public string? InvokedBy { get; set; }
}
