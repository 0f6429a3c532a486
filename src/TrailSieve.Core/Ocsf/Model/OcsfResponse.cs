using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>response</c>: the call's error (errorCode, errorMessage), present only when it failed.</summary>
public sealed class OcsfResponse
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_message")]
    public string? ErrorMessage { get; set; }
}
