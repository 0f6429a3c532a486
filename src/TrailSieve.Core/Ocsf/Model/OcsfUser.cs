using System.Text.Json.Serialization;

namespace TrailSieve.Core.Ocsf.Model;

/// <summary>OCSF <c>user</c>.</summary>
public sealed class OcsfUser
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The principal's ARN where there is one, else its principalId.</summary>
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    /// <summary>The principalId when <see cref="Uid"/> holds the ARN.</summary>
    [JsonPropertyName("uid_alt")]
    public string? UidAlt { get; set; }

    /// <summary>userIdentity.type (Root, IAMUser, AssumedRole, ...).</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("type_id")]
    public int? TypeId { get; set; }

    /// <summary>userIdentity.accessKeyId.</summary>
    [JsonPropertyName("credential_uid")]
    public string? CredentialUid { get; set; }

    [JsonPropertyName("account")]
    public OcsfAccount? Account { get; set; }
}
