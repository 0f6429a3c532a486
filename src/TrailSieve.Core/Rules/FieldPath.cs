namespace TrailSieve.Core.Rules;

/// <summary>
/// Parses <c>field_name</c> paths: dot-separated segments, each optionally ending in <c>[]</c> (traverse the array's
/// elements). The first segment matches <c>[A-Za-z_][A-Za-z0-9_-]*</c>; later segments may also start with a digit or
/// a hyphen, because boogy/CloudTrail-Log-Parser accepts any path matching <c>^[a-zA-Z][a-zA-Z0-9_.\-]*$</c> without
/// empty segments, and its files must load unchanged.
/// </summary>
internal static class FieldPath
{
    public readonly record struct Segment(string Name, bool IsArray);

    /// <summary>Returns the segments, or null (with a reason) when the path is malformed.</summary>
    public static Segment[]? TryParse(string path, out string? problem)
    {
        problem = null;
        if (path.Length == 0)
        {
            problem = "is empty";
            return null;
        }

        var parts = path.Split('.');
        var segments = new Segment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var isArray = part.EndsWith("[]", StringComparison.Ordinal);
            var name = isArray ? part[..^2] : part;
            if (name.Length == 0)
            {
                problem = i == 0 ? "starts with an empty segment" : i == parts.Length - 1 ? "ends with an empty segment" : "contains an empty segment ('..')";
                return null;
            }

            if (i == 0 && !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
            {
                problem = "must start with a letter or '_'";
                return null;
            }

            foreach (var c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                {
                    problem = $"segment '{part}' contains '{c}' (allowed: letters, digits, '_', '-', and a trailing '[]')";
                    return null;
                }
            }

            segments[i] = new Segment(name, isArray);
        }

        return segments;
    }
}
