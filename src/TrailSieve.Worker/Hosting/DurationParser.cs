using System.Globalization;
using System.Text.RegularExpressions;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// Parses durations as the Go Lambdas wrote them (<c>5m</c>, <c>1h30m</c>, <c>90s</c>, <c>500ms</c>) and as .NET
/// configuration does (<c>00:05:00</c>).
/// </summary>
internal static partial class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && text.Contains(':', StringComparison.Ordinal))
        {
            return duration >= TimeSpan.Zero;
        }

        var match = GoDuration().Match(text);
        if (!match.Success)
        {
            return false;
        }

        duration = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['h', 'm', 's']);
            var value = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            duration += part.Value[unitStart..] switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => TimeSpan.FromMilliseconds(value),
            };
        }

        return true;
    }

    /// <summary>Converts a Go-style duration to the form configuration binding reads; other text is returned as is.</summary>
    public static string? Normalize(string? text) =>
        TryParse(text, out var duration) ? duration.ToString("c", CultureInfo.InvariantCulture) : text;

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();
}
