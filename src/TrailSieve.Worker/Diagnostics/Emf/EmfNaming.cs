using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>
/// How an instrument and its tags become a CloudWatch metric name, unit and dimensions. The bounded "kind" tags
/// (status, operation, kind, result) are appended to the name (Files + succeeded → FilesSucceeded); error.type and
/// rule become the dimensions ErrorType and Rule; any other tag becomes a dimension named after it in PascalCase.
/// </summary>
internal static class EmfNaming
{
    public const int MaxDimensionValueLength = 1024;

    private const string UnknownValue = "unknown";

    private static readonly FrozenSet<string> NameTags = FrozenSet.Create(StringComparer.Ordinal, "status", "operation", "kind", "result");

    /// <summary>The CloudWatch name and EMF unit of an instrument: <see cref="TrailSieveMetrics.CloudWatchNames"/>, else derived.</summary>
    public static (string Name, string Unit) MetricOf(Instrument instrument)
    {
        if (TrailSieveMetrics.CloudWatchNames.TryGetValue(instrument.Name, out var known))
        {
            return known;
        }

        var name = instrument.Name.StartsWith("trailsieve.", StringComparison.Ordinal) ? instrument.Name["trailsieve.".Length..] : instrument.Name;
        return (Pascal(name), UnitOf(instrument.Unit));
    }

    /// <summary>UCUM-style OpenTelemetry unit → EMF unit; annotations such as <c>{record}</c> are counts.</summary>
    public static string UnitOf(string? unit) => unit switch
    {
        "ms" => "Milliseconds",
        "s" => "Seconds",
        "us" => "Microseconds",
        "By" => "Bytes",
        "%" => "Percent",
        ['{', .., '}'] => "Count",
        _ => "None",
    };

    public static bool IsNameTag(string tag) => NameTags.Contains(tag);

    public static string DimensionName(string tag) => tag switch
    {
        "error.type" => "ErrorType",
        "rule" => "Rule",
        _ => Pascal(tag),
    };

    /// <summary>A tag value as a dimension value: printable ASCII, 1 to 1,024 characters ("unknown" when blank).</summary>
    public static string DimensionValue(object? value)
    {
        var text = TagText(value);
        if (string.IsNullOrWhiteSpace(text))
        {
            return UnknownValue;
        }

        if (text.Length > MaxDimensionValueLength)
        {
            text = text[..MaxDimensionValueLength];
        }

        return text.AsSpan().ContainsAnyExceptInRange(' ', '~')
            ? string.Create(text.Length, text, static (span, source) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '_';
                }
            })
            : text;
    }

    /// <summary>The name suffix a kind tag's value adds (succeeded → Succeeded, not_found → NotFound).</summary>
    public static string NameSuffix(object? value)
    {
        var suffix = Pascal(TagText(value) ?? string.Empty);
        return suffix.Length == 0 ? "Unknown" : suffix;
    }

    /// <summary>Letters and digits kept, every run after a separator capitalised: <c>error.type</c> → <c>ErrorType</c>.</summary>
    public static string Pascal(string text)
    {
        var builder = new StringBuilder(text.Length);
        var upper = true;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    private static string? TagText(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
