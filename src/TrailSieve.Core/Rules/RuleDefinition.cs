namespace TrailSieve.Core.Rules;

/// <summary>One rule as written in the file, before validation.</summary>
internal sealed class RuleDefinition
{
    public required int Index { get; init; }

    public required string Location { get; init; }

    public string? Name { get; set; }

    public bool Enabled { get; set; } = true;

    public string? Action { get; set; }

    public string? Severity { get; set; }

    /// <summary>Null when the key is absent (an error); empty when present but empty (also an error).</summary>
    public List<MatchDefinition>? Matches { get; set; }

    public List<MatchDefinition> ExcludeMatches { get; } = [];

    /// <summary>How messages name this rule: <c>rules[2] 'Filter KMS'</c>, or <c>rules[2] (unnamed)</c>.</summary>
    public string Describe() => string.IsNullOrEmpty(Name) ? $"rules[{Index}] (unnamed)" : $"rules[{Index}] '{Name}'";
}
