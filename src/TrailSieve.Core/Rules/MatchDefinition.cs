namespace TrailSieve.Core.Rules;

/// <summary>One match of a rule as written in the file, before validation.</summary>
internal sealed class MatchDefinition
{
    /// <summary>Where the match sits inside its rule, e.g. <c>matches[0]</c> or <c>exclude_matches[1]</c>.</summary>
    public required string Label { get; init; }

    public required string Location { get; init; }

    public string? FieldName { get; set; }

    /// <summary>The regex; <see cref="RegexKey"/> says whether it came from <c>regex</c> or wolfeidau's <c>matches</c>.</summary>
    public string? Regex { get; set; }

    public string RegexKey { get; set; } = "regex";

    public string? EqualsValue { get; set; }

    public IReadOnlyList<string>? In { get; set; }

    public string? Prefix { get; set; }

    public bool? Exists { get; set; }

    /// <summary>Networks of the <c>cidr</c> operator as written (IPv4 and IPv6, <c>address/prefix</c>).</summary>
    public IReadOnlyList<string>? Cidr { get; set; }

    public bool Not { get; set; }

    public bool IgnoreCase { get; set; }

    public bool HasOperator => Regex is not null || EqualsValue is not null || In is not null || Prefix is not null || Exists is not null || Cidr is not null;
}
