namespace TrailSieve.Core.Ocsf;

/// <summary>The OCSF version written, and the categories and classes TrailSieve maps CloudTrail records to.</summary>
public static class OcsfSchema
{
    /// <summary>OCSF 1.1.0: what Amazon Security Lake's source version 2 and its custom sources take.</summary>
    public const string Version = "1.1.0";

    public const int IamCategory = 3;

    public const int ApplicationCategory = 6;

    public static OcsfClass AccountChange { get; } = new(3001, "Account Change", IamCategory, "Identity & Access Management", "account-change");

    public static OcsfClass Authentication { get; } = new(3002, "Authentication", IamCategory, "Identity & Access Management", "authentication");

    public static OcsfClass ApiActivity { get; } = new(6003, "API Activity", ApplicationCategory, "Application Activity", "api-activity");

    /// <summary>Every class written, by uid.</summary>
    public static IReadOnlyList<OcsfClass> Classes { get; } = [AccountChange, Authentication, ApiActivity];

    /// <summary>The class of <paramref name="uid"/>; throws for a class TrailSieve does not write.</summary>
    public static OcsfClass ClassOf(int uid) =>
        Classes.FirstOrDefault(c => c.Uid == uid) ?? throw new ArgumentOutOfRangeException(nameof(uid), uid, "not an OCSF class TrailSieve writes (3001, 3002, 6003)");
}
