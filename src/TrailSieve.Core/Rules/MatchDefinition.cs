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

    /// <summary>
    /// The values one of which the field must have for this match to hit, or null when hitting needs no such value:
    /// see <see cref="RequiredValuesOf"/>.
    /// </summary>
    public IReadOnlyList<string>? RequiredValues => RequiredValuesOf(EqualsValue, In, Not, IgnoreCase, Exists, Cidr is not null);

    /// <summary>
    /// The values a match requires its field to equal, exactly: a case-sensitive <c>equals</c> (the one value) or else
    /// <c>in</c> (its list), when the match is not negated, not <c>exists: false</c> and not a <c>cidr</c>. Any other
    /// match can hit without such a value, so it requires none (null). Rule indexes and the report's pre-filter narrow
    /// by it, so each only ever has to be a superset of the hits.
    /// </summary>
    public static IReadOnlyList<string>? RequiredValuesOf(string? equalsValue, IReadOnlyList<string>? inValues, bool not, bool ignoreCase, bool? exists, bool isCidr) =>
        not || ignoreCase || exists == false || isCidr ? null
        : equalsValue is not null ? [equalsValue]
        : inValues;

    public bool HasOperator => Regex is not null || EqualsValue is not null || In is not null || Prefix is not null || Exists is not null || Cidr is not null;
}
