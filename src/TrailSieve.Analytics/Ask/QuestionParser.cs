using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace TrailSieve.Analytics.Ask;

/// <summary>
/// Reads a plain-English question into a <see cref="QuestionModel"/>, word by word, with no model and no network:
/// the same question and the same <c>now</c> always give the same result. Every word is either mapped (and the mapping
/// recorded) or reported as not understood. The rules are tried in a fixed order at each word (<see cref="Run"/>);
/// they live in partials by aspect: Shape, Time, Filters, Names.
/// </summary>
internal sealed partial class QuestionParser
{
    private readonly List<string> _words;
    private readonly List<string> _original;
    private readonly DateTime _now;
    private readonly List<PhraseMapping> _mappings = [];
    private readonly List<string> _unknown = [];
    private int _at;

    private QuestionParser(string question, DateTime now)
    {
        _original = [.. Token().Matches(question).Select(m => Clean(m.Value)).Where(w => w.Length > 0)];
        _words = [.. _original.Select(w => w.ToLowerInvariant())];
        _now = now;
    }

    public QuestionModel Model { get; } = new();

    public IReadOnlyList<PhraseMapping> Mappings => _mappings;

    public IReadOnlyList<string> Unknown => _unknown;

    public static QuestionParser Parse(string question, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(question);
        var parser = new QuestionParser(question, nowUtc);
        parser.Run();
        return parser;
    }

    private void Run()
    {
        while (_at < _words.Count)
        {
            if (!(Shape() || Time() || Login() || Mfa() || Outcome() || Identity() || Where() || Names() || Service() || Limit()))
            {
                if (Vocabulary.Fillers.Contains(W(0)))
                {
                    Take(1, "(no meaning of its own here)");
                }
                else
                {
                    _unknown.Add(_original[_at]);
                    _at++;
                }
            }
        }
    }

    private bool Set(int length, string meaning, Action apply)
    {
        apply();
        Take(length, meaning);
        return true;
    }

    /// <summary>Reports <paramref name="word"/> as not understood, with why, and reads on after the phrase.</summary>
    private bool NotUnderstood(int length, string word, string why)
    {
        _mappings.Add(new PhraseMapping(Phrase(0, length), "NOT UNDERSTOOD: " + why));
        _unknown.Add(word);
        _at += length;
        return true;
    }

    private void Take(int length, string meaning)
    {
        _mappings.Add(new PhraseMapping(Phrase(0, length), meaning));
        _at += length;
    }

    private string Phrase(int offset, int length) => string.Join(' ', _original.Skip(_at + offset).Take(length));

    private string W(int offset) => _at + offset < _words.Count ? _words[_at + offset] : string.Empty;

    private bool IsName(int offset) =>
        _at + offset < _words.Count && !Vocabulary.IsKnown(W(offset)) && !IsIp(W(offset)) && !IsRegion(W(offset)) && !IsAccount(W(offset))
        && Date(W(offset)) is null && NameShape().IsMatch(_original[_at + offset]);

    private static int? Number(string word) =>
        int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100_000 ? n : null;

    private static DateTime? Date(string word) =>
        DateTime.TryParseExact(word, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day) ? day : null;

    private static bool IsIp(string word) => word.Length >= 3 && (word.Contains('.', StringComparison.Ordinal) || word.Contains(':', StringComparison.Ordinal))
        && IPAddress.TryParse(word, out var ip) && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || word.Count(c => c == '.') == 3);

    private static bool IsRegion(string word) => RegionShape().IsMatch(word);

    private static bool IsAccount(string word) => Core.Layout.CloudTrailLayout.IsAccountId(word);

    private static string Stamp(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    internal static string Describe(Dimension dimension) => dimension switch
    {
        Dimension.Principal => "principal",
        Dimension.Service => "service (eventSource)",
        Dimension.Event => "event (eventName)",
        Dimension.SourceIp => "source IP",
        Dimension.Region => "region",
        Dimension.Account => "account",
        Dimension.ErrorCode => "error code",
        _ => "day",
    };

    private static string Clean(string token) =>
        token.Length > 1 && token[0] is '"' or '\'' && token[^1] == token[0] ? token[1..^1] : token.TrimEnd('.', ',', '?', '!', ';', ':');

    [GeneratedRegex("\"[^\"]+\"|'[^']+'|[^\\s,?!;()]+", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionShape();

    [GeneratedRegex("^([A-Za-z0-9-]+):([A-Z][A-Za-z0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceAction();

    // An API name as CloudTrail spells it: CreateUser, GetObject, ConsoleLogin (at least two capitalised words).
    [GeneratedRegex("^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiName();

    [GeneratedRegex(@"^[\w.@+=,/'-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameShape();
}
