using System.Globalization;

namespace TrailSieve.Deploy.Settings;

/// <summary>
/// Typed reads of CDK context values. A value from <c>-c key=value</c> is a string; one from cdk.json or from
/// <c>AppProps.Context</c> may be a number or a boolean, so every read accepts both. Each failure names the key.
/// </summary>
internal sealed class ContextReader(Func<string, object?> lookup)
{
    public string? OptionalString(string key)
    {
        var value = lookup(key);
        var text = value switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public string RequiredString(string key, string meaning) =>
        OptionalString(key) ?? throw new InvalidContextException($"context '{key}' is required: {meaning} (cdk synth -c {key}=...)");

    public string String(string key, string defaultValue) => OptionalString(key) ?? defaultValue;

    public int Int(string key, int defaultValue, int min, int max) => OptionalInt(key, min, max) ?? defaultValue;

    public int? OptionalInt(string key, int min, int max)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InvalidContextException($"context '{key}' must be a whole number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    public double Double(string key, double defaultValue, double min, double max)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
        {
            throw new InvalidContextException($"context '{key}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
        }

        return value;
    }

    public bool Bool(string key, bool defaultValue)
    {
        var text = OptionalString(key);
        return text?.ToUpperInvariant() switch
        {
            null => defaultValue,
            "TRUE" or "YES" or "1" => true,
            "FALSE" or "NO" or "0" => false,
            _ => throw new InvalidContextException($"context '{key}' must be true or false, not '{text}'"),
        };
    }

    /// <summary>A comma-separated list (also a JSON array in cdk.json); empty when absent.</summary>
    public IReadOnlyList<string> List(string key)
    {
        if (lookup(key) is object[] array)
        {
            return [.. array.Select(item => Convert.ToString(item, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty).Where(item => item.Length > 0)];
        }

        var text = OptionalString(key);
        return text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    public T Choice<T>(string key, T defaultValue)
        where T : struct, Enum
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (!Enum.TryParse<T>(text, ignoreCase: true, out var value) || !Enum.IsDefined(value) || int.TryParse(text, out _))
        {
            var names = string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
            throw new InvalidContextException($"context '{key}' must be one of {names}, not '{text}'");
        }

        return value;
    }
}
