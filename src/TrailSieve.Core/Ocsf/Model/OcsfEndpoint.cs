using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>
/// OCSF <c>network_endpoint</c>: where the call came from. sourceIPAddress goes to <see cref="Ip"/> when it is an IP
/// address, else to <see cref="Domain"/> (CloudTrail puts a service's name there, e.g. ec2.amazonaws.com).
/// </summary>
public sealed class OcsfEndpoint
{
    [JsonPropertyName("ip")]
    public string? Ip { get; set; }

    [JsonPropertyName("domain")]
    public string? Domain { get; set; }
}
