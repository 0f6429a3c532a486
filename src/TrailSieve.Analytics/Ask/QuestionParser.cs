using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace TrailSieve.Analytics.Ask;

/// <summary>
/// Reads a plain-English question into a <see cref="QuestionModel"/>, word by word, with no model and no network:
/// the same question and the same <c>now</c> always give the same result. Every word is either mapped (and the mapping
/// recorded) or reported as not understood.
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

    private bool Shape()
    {
        if (W(0) == "how" && W(1) is "many" or "much")
        {
            return Set(2, "count the matching events", () => Model.Shape = Model.Shape == QuestionShape.List ? QuestionShape.Count : Model.Shape);
        }

        if (W(0) is "count" or "total" || (W(0) == "number" && W(1) == "of"))
        {
            return Set(W(0) == "number" ? 2 : 1, "count the matching events", () => Model.Shape = Model.Shape == QuestionShape.List ? QuestionShape.Count : Model.Shape);
        }

        if (W(0) == "top")
        {
            var n = Number(W(1));
            var length = n is null ? 1 : 2;
            Model.Shape = QuestionShape.Top;
            Model.Limit = n ?? 10;
            length += GroupAt(length);
            return Set(length, $"the top {Model.Limit}{(Model.GroupBy is { } d ? $" by {Describe(d)}" : string.Empty)}{(Model.Failed ? " among failed calls" : string.Empty)}", () => { });
        }

        if (W(0) == "most" && W(1) is "common" or "frequent" or "active" || W(0) == "busiest")
        {
            var length = W(0) == "busiest" ? 1 : 2;
            Model.Shape = QuestionShape.Top;
            Model.Limit ??= 10;
            length += GroupAt(length);
            return Set(length, $"the top {Model.Limit}{(Model.GroupBy is { } d ? $" by {Describe(d)}" : string.Empty)}{(Model.Failed ? " among failed calls" : string.Empty)}", () => { });
        }

        if (W(0) == "who" && Model.Shape == QuestionShape.List)
        {
            return Set(1, "count by principal", () => (Model.Shape, Model.GroupBy) = (QuestionShape.CountBy, Dimension.Principal));
        }

        if (W(0) is "which" or "what" && DimensionAt(1) is ({ } which, var whichLength) && which != Dimension.Event && Model.Shape == QuestionShape.List)
        {
            return Set(1 + whichLength, $"count by {Describe(which)}", () => (Model.Shape, Model.GroupBy) = (QuestionShape.CountBy, which));
        }

        var by = W(0) is "by" or "per" ? 1 : W(0) is "group" or "grouped" && W(1) == "by" ? 2 : W(0) == "broken" && W(1) == "down" && W(2) == "by" ? 3 : 0;
        if (by > 0 && DimensionAt(by) is ({ } group, var groupLength))
        {
            if (group == Dimension.Principal && groupLength == 1 && IsName(by + 1))
            {
                return false; // "by user alice": a filter, read by Identity()
            }

            if ((group == Dimension.Account && IsAccount(W(by + 1))) || (group == Dimension.Region && IsRegion(W(by + 1))) || (group == Dimension.SourceIp && IsIp(W(by + 1))))
            {
                return false; // "by region eu-west-1": a filter, read by Where()
            }

            return Set(by + groupLength, $"count by {Describe(group)}", () =>
            {
                Model.GroupBy = group;
                if (Model.Shape != QuestionShape.Top)
                {
                    Model.Shape = QuestionShape.CountBy;
                }
            });
        }

        return false;
    }

    /// <summary>A dimension (one or two words) at an offset, or (null, 0).</summary>
    private (Dimension? Dimension, int Length) DimensionAt(int offset)
    {
        if (Vocabulary.DimensionPairs.TryGetValue(W(offset) + " " + W(offset + 1), out var pair))
        {
            return (pair, 2);
        }

        return Vocabulary.Dimensions.TryGetValue(W(offset), out var one) ? (one, 1) : (null, 0);
    }

    /// <summary>After "top N" / "most common": the dimension grouped by ("errors" groups failed calls by error code).</summary>
    private int GroupAt(int offset)
    {
        if (W(offset) is "errors" or "error")
        {
            Model.GroupBy = Dimension.ErrorCode;
            Model.Failed = true;
            return 1;
        }

        var (dimension, length) = DimensionAt(offset);
        if (dimension is { } d)
        {
            Model.GroupBy = d;
        }

        return length;
    }

    private bool Time()
    {
        var at = W(0) == "in" && W(1) == "the" ? 2 : W(0) is "over" or "during" or "within" && W(1) == "the" ? 2 : 0;
        if (W(at) is "last" or "past" or "previous")
        {
            var n = Number(W(at + 1));
            var unitAt = at + (n is null ? 1 : 2);
            if (Vocabulary.Units.TryGetValue(W(unitAt), out var unit))
            {
                var span = unit * (n ?? 1);
                return Set(unitAt + 1, $"since {Stamp(_now - span)}", () => Model.From = _now - span);
            }

            if (W(unitAt) == "month" && n is null)
            {
                var first = new DateTime(_now.Year, _now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                return Set(unitAt + 1, $"the previous calendar month, {Stamp(first.AddMonths(-1))} to {Stamp(first)}", () => (Model.From, Model.Until) = (first.AddMonths(-1), first));
            }

            if (n is not null && at == 0 && W(unitAt) is "events" or "records" or "calls" or "entries" or "requests")
            {
                return Set(unitAt + 1, $"the {n} newest", () => Model.Limit = n);
            }

            return false;
        }

        if (W(0) == "today")
        {
            return Set(1, $"since {Stamp(_now.Date)} (today, UTC)", () => Model.From = _now.Date);
        }

        if (W(0) == "yesterday")
        {
            return Set(1, $"from {Stamp(_now.Date.AddDays(-1))} to {Stamp(_now.Date)} (yesterday, UTC)", () => (Model.From, Model.Until) = (_now.Date.AddDays(-1), _now.Date));
        }

        if (W(0) == "this" && W(1) is "week" or "month")
        {
            var start = W(1) == "week" ? _now.Date.AddDays(-(((int)_now.DayOfWeek + 6) % 7)) : new DateTime(_now.Year, _now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            return Set(2, $"since {Stamp(start)}", () => Model.From = start);
        }

        if (W(0) is "since" or "after" or "on" or "before" or "until" && Date(W(1)) is { } day)
        {
            return W(0) switch
            {
                "since" => Set(2, $"since {Stamp(day)}", () => Model.From = day),
                "after" => Set(2, $"since {Stamp(day.AddDays(1))} (after that day)", () => Model.From = day.AddDays(1)),
                "on" => Set(2, $"from {Stamp(day)} to {Stamp(day.AddDays(1))}", () => (Model.From, Model.Until) = (day, day.AddDays(1))),
                _ => Set(2, $"before {Stamp(day)}", () => Model.Until = day),
            };
        }

        if (W(0) is "between" or "from" && Date(W(1)) is { } first2 && W(2) is "and" or "to" or "until" && Date(W(3)) is { } last)
        {
            var (lo, hi) = first2 <= last ? (first2, last) : (last, first2);
            return Set(4, $"from {Stamp(lo)} to {Stamp(hi.AddDays(1))} (both days included)", () => (Model.From, Model.Until) = (lo, hi.AddDays(1)));
        }

        return false;
    }

    private bool Login()
    {
        if (W(0) == "console" && (Vocabulary.LoginWords.Contains(W(1)) || W(1) is "signin" or "sign-in"))
        {
            return Set(2, "console logins (eventName ConsoleLogin)", () => Model.ConsoleLogin = true);
        }

        return Vocabulary.LoginWords.Contains(W(0)) && Set(1, "console logins (eventName ConsoleLogin)", () => Model.ConsoleLogin = true);
    }

    private bool Mfa()
    {
        if (W(0) is "with" or "using" && W(1) == "mfa")
        {
            return Set(2, "MFA used (additionalEventData.MFAUsed = Yes)", () => Model.Mfa = true);
        }

        if ((W(0) is "without" or "no" && W(1) == "mfa") || (W(0) == "with" && W(1) == "no" && W(2) == "mfa"))
        {
            return Set(W(0) == "with" ? 3 : 2, "MFA not used (additionalEventData.MFAUsed = No)", () => Model.Mfa = false);
        }

        return false;
    }

    private bool Outcome()
    {
        if (W(0) == "access" && W(1) == "denied")
        {
            return Set(2, "denied (errorCode like AccessDenied/Unauthorized/Forbidden)", () => Model.Denied = true);
        }

        if (Vocabulary.DeniedWords.Contains(W(0)))
        {
            return Set(1, "denied (errorCode like AccessDenied/Unauthorized/Forbidden)", () => Model.Denied = true);
        }

        if (Vocabulary.FailedWords.Contains(W(0)))
        {
            return Set(1, "failed (an errorCode is set; for console logins, ConsoleLogin = Failure)", () => Model.Failed = true);
        }

        if (Vocabulary.SucceededWords.Contains(W(0)))
        {
            return Set(1, "succeeded (no errorCode; for console logins, ConsoleLogin = Success)", () => Model.Succeeded = true);
        }

        if (W(0) is "read-only" or "readonly" or "reads" || (W(0) == "read" && W(1) is "only" or "events" or "calls" or "operations" or "actions" or "api"))
        {
            return Set(W(0) == "read" && W(1) == "only" ? 2 : 1, "read-only calls (readOnly = true)", () => Model.ReadOnly = true);
        }

        if (W(0) is "write" or "writes" or "mutating" or "modifying" or "non-read-only")
        {
            return Set(1, "write calls (readOnly = false)", () => Model.ReadOnly = false);
        }

        return false;
    }

    private bool Identity()
    {
        if (W(0) == "root")
        {
            var length = W(1) is "user" or "account" or "usage" or "identity" ? 2 : 1;
            return Set(length, "the root user (userIdentity.type = Root)", () => Model.Root = true);
        }

        var at = W(0) == "by" && W(1) is "user" or "principal" or "role" or "identity" ? 1 : 0;
        if (W(at) is "user" or "principal" or "role" or "identity" && IsName(at + 1))
        {
            var name = _original[_at + at + 1];
            return W(at) == "role"
                ? Set(at + 2, $"role {name} (userIdentity.sessionContext.sessionIssuer.userName)", () => Model.Roles.Add(name))
                : Set(at + 2, $"principal {name} (user name, else role name)", () => Model.Principals.Add(name));
        }

        if (W(0) == "by" && IsName(1))
        {
            var name = _original[_at + 1];
            return Set(2, $"principal {name} (user name, else role name)", () => Model.Principals.Add(name));
        }

        return false;
    }

    private bool Where()
    {
        var at = W(0) is "from" or "ip" or "by" ? 1 : W(0) == "source" && W(1) == "ip" ? 2 : 0;
        if (IsIp(W(at)))
        {
            var ip = W(at);
            return Set(at + 1, $"source IP {ip}", () => Model.SourceIps.Add(ip));
        }

        at = W(0) is "in" or "region" or "by" && IsRegion(W(1)) ? 1 : W(0) == "in" && W(1) == "region" ? 2 : 0;
        if (IsRegion(W(at)))
        {
            var region = W(at);
            return Set(at + 1, $"region {region}", () => Model.Regions.Add(region));
        }

        at = W(0) == "in" && W(1) == "account" ? 2 : W(0) is "account" or "by" ? 1 : 0;
        if (IsAccount(W(at)))
        {
            var account = W(at);
            return Set(at + 1, $"account {account}", () => Model.Accounts.Add(account));
        }

        return false;
    }

    private bool Names()
    {
        var original = _at < _original.Count ? _original[_at] : string.Empty;
        if (ServiceAction().Match(original) is { Success: true } pair && Vocabulary.Services.TryGetValue(pair.Groups[1].Value.ToLowerInvariant(), out var prefix))
        {
            var action = pair.Groups[2].Value;
            return Set(1, $"{prefix}.amazonaws.com {action}", () =>
            {
                Model.Services.Add(prefix);
                Model.Events.Add(action);
            });
        }

        if (W(0) is "event" or "eventname" or "action" or "named" or "called" or "api" && _at + 1 < _original.Count && ApiName().IsMatch(_original[_at + 1]))
        {
            var name = _original[_at + 1];
            return Set(2, $"eventName {name}", () => Model.Events.Add(name));
        }

        if (ApiName().IsMatch(original) && !Vocabulary.IsKnown(W(0)))
        {
            return Set(1, $"eventName {original}", () => Model.Events.Add(original));
        }

        return false;
    }

    private bool Service()
    {
        if (Vocabulary.ServicePairs.TryGetValue(W(0) + " " + W(1), out var two))
        {
            return Set(2, $"eventSource {two}.amazonaws.com", () => Model.Services.Add(two));
        }

        if (W(0).EndsWith(".amazonaws.com", StringComparison.Ordinal) && W(0).Length > ".amazonaws.com".Length)
        {
            var source = W(0)[..^".amazonaws.com".Length];
            return Set(1, $"eventSource {W(0)}", () => Model.Services.Add(source));
        }

        if (Vocabulary.Services.TryGetValue(W(0), out var one))
        {
            var length = W(1) is "service" or "api" or "apis" ? 2 : 1;
            return Set(length, $"eventSource {one}.amazonaws.com", () => Model.Services.Add(one));
        }

        return false;
    }

    private bool Limit()
    {
        if (W(0) is "limit" or "first" or "latest" or "newest" or "recent" && Number(W(1)) is { } n)
        {
            return Set(2, $"at most {n} rows", () => Model.Limit = n);
        }

        return false;
    }

    private bool Set(int length, string meaning, Action apply)
    {
        apply();
        Take(length, meaning);
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

    private static bool IsAccount(string word) => word.Length == 12 && word.All(char.IsAsciiDigit);

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
