using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>session</c>: userIdentity.sessionContext.</summary>
public sealed class OcsfSession
{
    /// <summary>sessionContext.attributes.creationDate, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("created_time")]
    public long? CreatedTime { get; set; }

    /// <summary>sessionContext.attributes.mfaAuthenticated.</summary>
    [JsonPropertyName("is_mfa")]
    public bool? IsMfa { get; set; }

    /// <summary>sessionContext.sessionIssuer.arn.</summary>
    [JsonPropertyName("issuer")]
    public string? Issuer { get; set; }

    /// <summary>userIdentity.accessKeyId (the session's temporary credential).</summary>
    [JsonPropertyName("credential_uid")]
    public string? CredentialUid { get; set; }
}
