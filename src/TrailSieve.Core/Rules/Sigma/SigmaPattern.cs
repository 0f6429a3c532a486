using System.Text;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>
/// One Sigma string value compiled: <c>*</c> (any run of characters, empty too) and <c>?</c> (one character) are
/// wildcards, <c>\*</c>, <c>\?</c> and <c>\\</c> stand for the character itself, and a backslash before anything else is
/// a plain backslash (the specification's escaping). Matching is case-insensitive (ordinal, as
/// <see cref="StringComparison.OrdinalIgnoreCase"/>) unless <c>cased</c>. The common shapes (exact, prefix, suffix,
/// contains, anything) take span fast paths; any other pattern runs the linear-space glob match, at worst
/// O(value × pattern), never exponential.
/// </summary>
internal sealed class SigmaPattern
{
    private enum Shape
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Anything,
        Glob,
    }

    private readonly Shape _shape;
    private readonly string _literal;

    // For Glob: the pattern with wildcards as sentinel chars; literal '*' and '?' are kept as themselves in _isWild=false slots.
    private readonly char[] _glob;
    private readonly bool[] _wild;
    private readonly StringComparison _comparison;

    // The literal as UTF-8 when the bytes alone can decide (an ASCII literal, or any literal when cased), else null.
    private readonly byte[]? _literalUtf8;

    private SigmaPattern(Shape shape, string literal, char[] glob, bool[] wild, bool cased, string text)
    {
        _shape = shape;
        _literal = literal;
        _literalUtf8 = shape != Shape.Glob && (cased || Ascii.IsValid(literal)) ? Encoding.UTF8.GetBytes(literal) : null;
        _glob = glob;
        _wild = wild;
        _comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        Cased = cased;
        Text = text;
    }

    /// <summary>The value as written in the rule, after the modifiers added their wildcards.</summary>
    public string Text { get; }

    public bool Cased { get; }

    /// <summary>The exact value this pattern needs when it has no wildcard (for the rule index), else null.</summary>
    public string? ExactValue => _shape == Shape.Exact ? _literal : null;

    /// <summary>
    /// Compiles <paramref name="value"/> as written; <paramref name="leading"/> and <paramref name="trailing"/> add an
    /// unescaped <c>*</c> before or after it (<c>contains</c>, <c>endswith</c>, <c>startswith</c>).
    /// </summary>
    public static SigmaPattern Create(string value, bool leading, bool trailing, bool cased)
    {
        var chars = new List<char>(value.Length + 2);
        var wild = new List<bool>(value.Length + 2);
        if (leading)
        {
            chars.Add('*');
            wild.Add(true);
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                chars.Add(value[++i]);
                wild.Add(false);
            }
            else
            {
                chars.Add(c);
                wild.Add(c is '*' or '?');
            }
        }

        if (trailing)
        {
            chars.Add('*');
            wild.Add(true);
        }

        var text = (leading ? "*" : string.Empty) + value + (trailing ? "*" : string.Empty);

        // Runs of '*' are one '*'.
        for (var i = chars.Count - 1; i > 0; i--)
        {
            if (wild[i] && wild[i - 1] && chars[i] == '*' && chars[i - 1] == '*')
            {
                chars.RemoveAt(i);
                wild.RemoveAt(i);
            }
        }

        var hasOne = false;
        var stars = new List<int>();
        for (var i = 0; i < chars.Count; i++)
        {
            if (wild[i] && chars[i] == '?')
            {
                hasOne = true;
            }
            else if (wild[i])
            {
                stars.Add(i);
            }
        }

        string Literal(int from, int to)
        {
            var builder = new StringBuilder(to - from);
            for (var i = from; i < to; i++)
            {
                builder.Append(chars[i]);
            }

            return builder.ToString();
        }

        var shape = Shape.Glob;
        var literal = string.Empty;
        if (!hasOne)
        {
            var n = chars.Count;
            switch (stars.Count)
            {
                case 0:
                    shape = Shape.Exact;
                    literal = Literal(0, n);
                    break;
                case 1 when n == 1:
                    shape = Shape.Anything;
                    break;
                case 1 when stars[0] == n - 1:
                    shape = Shape.Prefix;
                    literal = Literal(0, n - 1);
                    break;
                case 1 when stars[0] == 0:
                    shape = Shape.Suffix;
                    literal = Literal(1, n);
                    break;
                case 2 when stars[0] == 0 && stars[1] == n - 1:
                    shape = Shape.Contains;
                    literal = Literal(1, n - 1);
                    break;
            }
        }

        return new SigmaPattern(shape, literal, [.. chars], [.. wild], cased, text);
    }

    public bool IsMatch(ReadOnlySpan<char> value) => _shape switch
    {
        Shape.Exact => value.Equals(_literal, _comparison),
        Shape.Prefix => value.StartsWith(_literal, _comparison),
        Shape.Suffix => value.EndsWith(_literal, _comparison),
        Shape.Contains => value.Contains(_literal, _comparison),
        Shape.Anything => true,
        _ => Glob(value),
    };

    /// <summary>
    /// Matches a value given as UTF-8 (unescaped) without transcoding it, when the bytes decide: the fast shapes with
    /// a literal the bytes can compare (cased, or ASCII against an ASCII value, where ignoring case is ASCII's). Returns
    /// null when they cannot (a glob, a non-ASCII literal or value ignoring case): then <see cref="IsMatch"/> decides.
    /// </summary>
    public bool? IsMatchUtf8(ReadOnlySpan<byte> value)
    {
        if (_shape == Shape.Anything)
        {
            return true;
        }

        if (_literalUtf8 is not { } literal || (!Cased && !Ascii.IsValid(value)))
        {
            return null;
        }

        return _shape switch
        {
            Shape.Exact => Cased ? value.SequenceEqual(literal) : Ascii.EqualsIgnoreCase(value, literal),
            Shape.Prefix => value.Length >= literal.Length && (Cased ? value.StartsWith(literal) : Ascii.EqualsIgnoreCase(value[..literal.Length], literal)),
            Shape.Suffix => value.Length >= literal.Length && (Cased ? value.EndsWith(literal) : Ascii.EqualsIgnoreCase(value[^literal.Length..], literal)),
            _ => Cased ? value.IndexOf(literal) >= 0 : ContainsIgnoreCase(value, literal),
        };
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> literal)
    {
        if (literal.IsEmpty)
        {
            return true;
        }

        var first = literal[0];
        var lower = (byte)char.ToLowerInvariant((char)first);
        var upper = (byte)char.ToUpperInvariant((char)first);
        var last = value.Length - literal.Length;
        for (var i = 0; i <= last;)
        {
            var at = value.Slice(i, last - i + 1).IndexOfAny(lower, upper);
            if (at < 0)
            {
                return false;
            }

            i += at;
            if (Ascii.EqualsIgnoreCase(value.Slice(i, literal.Length), literal))
            {
                return true;
            }

            i++;
        }

        return false;
    }

    /// <summary>The classic greedy glob with one backtrack point (the last <c>*</c>): linear space, no recursion.</summary>
    private bool Glob(ReadOnlySpan<char> value)
    {
        var v = 0;
        var p = 0;
        var starP = -1;
        var starV = 0;
        while (v < value.Length)
        {
            if (p < _glob.Length && _wild[p] && _glob[p] == '*')
            {
                starP = p++;
                starV = v;
            }
            else if (p < _glob.Length && ((_wild[p] && _glob[p] == '?') || (!_wild[p] && Same(value[v], _glob[p]))))
            {
                p++;
                v++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                v = ++starV;
            }
            else
            {
                return false;
            }
        }

        while (p < _glob.Length && _wild[p] && _glob[p] == '*')
        {
            p++;
        }

        return p == _glob.Length;
    }

    private bool Same(char a, char b) => a == b || (!Cased && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
