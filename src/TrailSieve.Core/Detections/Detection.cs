namespace TrailSieve.Core.Detections;

/// <summary>One validated detection: what a finding it raises says about itself.</summary>
/// <param name="Name">Unique across every loaded detection file (a tag rule's finding uses its rule name).</param>
/// <param name="Severity">low, medium, high or critical (lower case).</param>
/// <param name="Description">What the finding means, or empty.</param>
/// <param name="Threshold">Fire on a count of hits within a window per group, or null to fire on every hit.</param>
/// <param name="Source">The file (or source name) the detection came from.</param>
public sealed record Detection(string Name, string Severity, string Description, ThresholdSpec? Threshold, string Source);
