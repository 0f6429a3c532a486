namespace TrailSieve.Core.Rules;

/// <summary>A detection's <c>threshold: {count, window, group_by}</c> as written, before validation.</summary>
internal sealed class ThresholdDefinition
{
    public required string Location { get; init; }

    public string? Count { get; set; }

    public string? Window { get; set; }

    public List<string> GroupBy { get; } = [];
}
