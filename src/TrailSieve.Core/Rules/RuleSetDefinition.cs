namespace TrailSieve.Core.Rules;

/// <summary>A whole rule file as written, before validation.</summary>
internal sealed class RuleSetDefinition
{
    public string? Version { get; set; }

    public string VersionLocation { get; set; } = string.Empty;

    public string? DefaultAction { get; set; }

    public string DefaultActionLocation { get; set; } = string.Empty;

    public List<RuleDefinition> Rules { get; } = [];
}
