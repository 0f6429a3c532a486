namespace TrailSieve.Core.Rules;

/// <summary>One rule (or detection: same match syntax) as written in the file, before validation.</summary>
internal sealed class RuleDefinition
{
    public required int Index { get; init; }

    public required string Location { get; init; }

    /// <summary>The list the entry is in: <c>rules</c>, or <c>detections</c> in a detection file.</summary>
    public string ListName { get; init; } = "rules";

    /// <summary>Detections only: what the finding means.</summary>
    public string? Description { get; set; }

    /// <summary>Detections only: fire on a count of hits within a window instead of on each hit.</summary>
    public ThresholdDefinition? Threshold { get; set; }

    public string? Name { get; set; }

    /// <summary>A Sigma rule's detection, evaluated instead of <see cref="Matches"/>; null for the rule syntax.</summary>
    public Sigma.SigmaExpression? Sigma { get; init; }

    public bool Enabled { get; set; } = true;

    public string? Action { get; set; }

    public string? Severity { get; set; }

    /// <summary>Null when the key is absent (an error); empty when present but empty (also an error).</summary>
    public List<MatchDefinition>? Matches { get; set; }

    public List<MatchDefinition> ExcludeMatches { get; } = [];

    /// <summary>How messages name this rule: <c>rules[2] 'Filter KMS'</c>, or <c>detections[0] (unnamed)</c>.</summary>
    public string Describe() => string.IsNullOrEmpty(Name) ? $"{ListName}[{Index}] (unnamed)" : $"{ListName}[{Index}] '{Name}'";
}
