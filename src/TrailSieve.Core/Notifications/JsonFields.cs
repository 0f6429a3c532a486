using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace TrailSieve.Core.Notifications;

/// <summary>
/// Reads the few fields a notification needs, turning every way a field can be wrong into an error message that names
/// its path (<c>Records[1].s3.object.key missing</c>) instead of an exception.
/// </summary>
internal static class JsonFields
{
    /// <summary>A non-empty string property of <paramref name="parent"/> (which must be an object).</summary>
    public static bool TryGetText(
        JsonElement parent,
        ReadOnlySpan<byte> name,
        string path,
        [NotNullWhen(true)] out string? value,
        [NotNullWhen(false)] out string? error)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            value = null;
            error = $"{path} missing";
            return false;
        }

        if (!TryGetString(element, out value))
        {
            error = element.ValueKind == JsonValueKind.String ? $"{path} is not valid text" : $"{path} is not a string";
            return false;
        }

        if (value.Length == 0)
        {
            value = null;
            error = $"{path} is empty";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>An object property of <paramref name="parent"/> (which must be an object).</summary>
    public static bool TryGetObject(JsonElement parent, ReadOnlySpan<byte> name, string path, out JsonElement value, [NotNullWhen(false)] out string? error)
    {
        if (!parent.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            error = $"{path} missing";
            return false;
        }

        error = value.ValueKind == JsonValueKind.Object ? null : $"{path} is not an object";
        return error is null;
    }

    /// <summary>An optional size in bytes: missing or null is null; anything but a non-negative integer is an error.</summary>
    public static bool TryGetSize(JsonElement parent, ReadOnlySpan<byte> name, string path, out long? size, [NotNullWhen(false)] out string? error)
    {
        size = null;
        error = null;
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= 0)
        {
            size = value;
            return true;
        }

        error = $"{path} is not a non-negative integer";
        return false;
    }

    /// <summary>
    /// The string value of <paramref name="element"/>; false when it is not a string, or holds escapes that are not
    /// valid UTF-16 (a lone surrogate such as <c>"\ud800"</c>, which <see cref="JsonElement.GetString"/> throws on).
    /// </summary>
    public static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            value = element.GetString();
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return value is not null;
    }
}
