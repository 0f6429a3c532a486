namespace TrailSieve.Core.Detections;

/// <summary>Sigma's rule levels, lowest first: what <see cref="DetectionSet.WithSigmaMinimumLevel"/> compares.</summary>
public enum SigmaLevel
{
    Informational,
    Low,
    Medium,
    High,
    Critical,
}
