using System.Globalization;

namespace TrailSieve.Worker.Cli;

/// <summary>Parses sizes such as <c>256MB</c>, <c>1GB</c>, <c>512KiB</c> or a plain byte count.</summary>
internal static class ByteSizes
{
    private static readonly (string Suffix, long Factor)[] s_units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1000), ("MB", 1000 * 1000), ("GB", 1000 * 1000 * 1000), ("B", 1),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = 0;
        var trimmed = text.Trim();
        var factor = 1L;
        foreach (var (suffix, value) in s_units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].Trim();
                factor = value;
                break;
            }
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0 || number * factor > long.MaxValue / 2)
        {
            return false;
        }

        bytes = (long)(number * factor);
        return true;
    }
}
