using System.Globalization;

namespace TrailSieve.Core.Detections;

/// <summary>Parses a threshold window: <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, or <c>hh:mm:ss</c>.</summary>
internal static class WindowText
{
    public static bool TryParse(string? text, out TimeSpan window)
    {
        window = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out window);
        }

        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 100_000)
        {
            return false;
        }

        switch (text[^1])
        {
            case 's':
                window = TimeSpan.FromSeconds(value);
                return true;
            case 'm':
                window = TimeSpan.FromMinutes(value);
                return true;
            case 'h':
                window = TimeSpan.FromHours(value);
                return true;
            case 'd':
                window = TimeSpan.FromDays(value);
                return true;
            default:
                return false;
        }
    }
}
