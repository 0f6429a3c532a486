namespace TrailSieve.Core.Detections;

/// <summary>One validated detection: what a finding it raises says about itself.</summary>
/// <param name="Name">Unique across every loaded detection file (a tag rule's finding uses its rule name).</param>
/// <param name="Severity">low, medium, high or critical (lower case).</param>
/// <param name="Description">What the finding means, or empty.</param>
/// <param name="Threshold">Fire on a count of hits within a window per group, or null to fire on every hit.</param>
/// <param name="Source">The file (or source name) the detection came from.</param>
/// <param name="Sigma">For a Sigma rule: its id, title, level, tags and false-positive hints; else null.</param>
/// <param name="Correlation">For a Sigma correlation rule: what it correlates (its <paramref name="Threshold"/> holds the count, timespan and group-by); else null.</param>
public sealed record Detection(string Name, string Severity, string Description, ThresholdSpec? Threshold, string Source, SigmaInfo? Sigma = null, SigmaCorrelation? Correlation = null);
