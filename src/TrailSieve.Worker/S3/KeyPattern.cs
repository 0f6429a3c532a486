using System.Text.RegularExpressions;

namespace TrailSieve.Worker.S3;

/// <summary>
/// One entry of <c>Sqs:IncludeKeys</c> or <c>Sqs:ExcludeKeys</c>: a key prefix (ordinal, case-sensitive, as S3 keys
/// are), or a regular expression when written <c>re:pattern</c>, compiled once with
/// <see cref="RegexOptions.NonBacktracking"/> so that no key can make matching slow.
/// </summary>
internal sealed class KeyPattern
{
    public const string RegexMarker = "re:";

    private readonly string? _prefix;
    private readonly Regex? _regex;

    private KeyPattern(string text, string? prefix, Regex? regex)
    {
        Text = text;
        _prefix = prefix;
        _regex = regex;
    }

    /// <summary>The entry as configured.</summary>
    public string Text { get; }

    /// <exception cref="FormatException">The entry is empty, or its regular expression does not compile; the message says why.</exception>
    public static KeyPattern Parse(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException("an entry is empty (a prefix or re:pattern is needed)");
        }

        if (!text.StartsWith(RegexMarker, StringComparison.Ordinal))
        {
            return new KeyPattern(text, text, null);
        }

        var pattern = text[RegexMarker.Length..];
        if (pattern.Length == 0)
        {
            throw new FormatException($"'{text}' has no pattern after {RegexMarker}");
        }

        try
        {
            return new KeyPattern(text, null, new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // NotSupportedException: a construct NonBacktracking cannot run (backreferences, lookarounds, atomic groups).
            throw new FormatException($"'{text}' is not a usable regular expression: {ex.Message}", ex);
        }
    }

    public bool Matches(string key) => _prefix is not null ? key.StartsWith(_prefix, StringComparison.Ordinal) : _regex!.IsMatch(key);

    public override string ToString() => Text;
}
