namespace TrailSieve.Core.Detections;

/// <summary>The severities a detection (or a tag rule) may carry, written in lower case in findings and metrics.</summary>
public static class Severity
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Critical = "critical";

    /// <summary>The lower-case severity for <paramref name="text"/> (any case), or null when it is not one.</summary>
    public static string? Normalize(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LOW" => Low,
        "MEDIUM" => Medium,
        "HIGH" => High,
        "CRITICAL" => Critical,
        _ => null,
    };
}
