using System.Globalization;
using System.Text;

namespace TrailSieve.Analytics.Engine;

/// <summary>Quoting for the values TrailSieve puts into DuckDB SQL (paths, names, literals).</summary>
internal static class Sql
{
    /// <summary>A single-quoted SQL string literal; quotes are doubled, NUL is refused (DuckDB ends strings there).</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("a SQL string cannot contain NUL", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A double-quoted identifier; quotes are doubled.</summary>
    public static string Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A list literal of string literals, <c>['a', 'b']</c>.</summary>
    public static string List(IEnumerable<string> values)
    {
        var builder = new StringBuilder("[");
        foreach (var value in values)
        {
            builder.Append(builder.Length > 1 ? ", " : string.Empty).Append(Literal(value));
        }

        return builder.Append(']').ToString();
    }

    /// <summary>An integer literal, culture-invariant.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
