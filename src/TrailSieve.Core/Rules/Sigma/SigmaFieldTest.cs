using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TrailSieve.Core.Rules.Sigma;

/// <summary>What a Sigma field test compares the field's values with.</summary>
internal enum SigmaTestKind
{
    /// <summary>Plain values, <c>contains</c>, <c>startswith</c>, <c>endswith</c>: wildcard patterns (and <c>null</c>).</summary>
    Patterns,

    /// <summary><c>re</c>: linear-time regexes, searched (not anchored).</summary>
    Regex,

    /// <summary><c>cidr</c>: IP networks.</summary>
    Cidr,

    /// <summary><c>exists</c>: the field is present (with any value, null too) or absent.</summary>
    Exists,

    /// <summary><c>fieldref</c>: the values of other fields of the same record.</summary>
    FieldRef,

    /// <summary><c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c>: numbers.</summary>
    Compare,

    /// <summary>A keyword: the pattern anywhere in the record's JSON text.</summary>
    Keyword,
}

/// <summary>How a <c>fieldref</c> compares: the referenced field's value equals, is in, starts or ends the field's.</summary>
internal enum SigmaRefMode
{
    Equals,
    Contains,
    StartsWith,
    EndsWith,
}

/// <summary>
/// One validated Sigma field test: a field path with its modifiers and values (<c>eventName|contains: [a, b]</c>), or
/// a keyword. Values are OR'd, or AND'd with <c>all</c>. The field's values are every value at the path: a path
/// through arrays reaches every element, and an object or array value is compared as its JSON text. A missing field
/// matches nothing but <c>null</c> and <c>exists: false</c>.
/// </summary>
internal sealed class SigmaFieldTest
{
    public required SigmaTestKind Kind { get; init; }

    /// <summary>Where the test is in its rule, for messages: <c>detection.selection.eventName|contains</c>.</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>The path as written, or null for a keyword.</summary>
    public string? Field { get; init; }

    public FieldPath.Segment[] Segments { get; init; } = [];

    /// <summary>Every value must match (<c>all</c>), instead of any.</summary>
    public bool All { get; init; }

    public SigmaPattern[] Patterns { get; init; } = [];

    /// <summary>A <c>null</c> among the values: a missing field or a null value matches.</summary>
    public bool MatchesNull { get; init; }

    public Regex[] Regexes { get; init; } = [];

    /// <summary>Per regex, the UTF-8 literal every match contains (<see cref="RegexLiteral"/>), or null.</summary>
    public byte[]?[] RegexLiterals { get; init; } = [];

    public CidrRange[] Cidrs { get; init; } = [];

    public bool ExistsValue { get; init; }

    public FieldPath.Segment[][] RefFields { get; init; } = [];

    public SigmaRefMode RefMode { get; init; }

    public bool Cased { get; init; }

    public (string Op, double Value)[] Comparisons { get; init; } = [];

    /// <summary>
    /// The exact values one of which the field must have for this test to match (ignoring case), or null when the
    /// test can match without one: only plain values without wildcards, no <c>null</c>, not <c>all</c> over several.
    /// </summary>
    public IReadOnlyList<string>? RequiredValues()
    {
        if (Kind != SigmaTestKind.Patterns || MatchesNull || Patterns.Length == 0 || (All && Patterns.Length > 1))
        {
            return null;
        }

        var values = new string[Patterns.Length];
        for (var i = 0; i < Patterns.Length; i++)
        {
            if (Patterns[i].ExactValue is not { } exact || !Ascii.IsValid(exact))
            {
                return null;
            }

            values[i] = exact;
        }

        return values;
    }

    public CompiledSigmaTest Compile(Func<FieldPath.Segment[], int> leafOf) => new(
        this,
        Kind == SigmaTestKind.Keyword ? -1 : leafOf(Segments),
        [.. RefFields.Select(leafOf)]);
}

/// <summary>A <see cref="SigmaFieldTest"/> bound to the capture lists of one rule set's path tree.</summary>
/// <remarks>Values are compared on their UTF-8 bytes where the pattern allows it, and transcoded otherwise; the stack
/// buffers for that are not zeroed (<see cref="System.Runtime.CompilerServices.SkipLocalsInitAttribute"/>): only what
/// is written into them is read.</remarks>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal sealed class CompiledSigmaTest(SigmaFieldTest test, int leafId, int[] refLeafIds)
{
    private const int StackChars = 256;

    public SigmaFieldTest Test { get; } = test;

    public int LeafId { get; } = leafId;

    public bool IsHit(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures)
    {
        if (Test.Kind == SigmaTestKind.Keyword)
        {
            return BytesHit(record, -1) ?? WithChars(record, Test, static (text, test) => AnyPattern(test, text));
        }

        var head = heads[LeafId];
        switch (Test.Kind)
        {
            case SigmaTestKind.Exists:
                return (head >= 0) == Test.ExistsValue;
            case SigmaTestKind.Cidr:
                return CidrHit(record, head, captures);
            case SigmaTestKind.FieldRef:
                return FieldRefHit(record, heads, head, captures);
        }

        if (head < 0)
        {
            return Test.MatchesNull;
        }

        if (Test.All)
        {
            var count = Test.Kind == SigmaTestKind.Regex ? Test.Regexes.Length : Test.Kind == SigmaTestKind.Compare ? Test.Comparisons.Length : Test.Patterns.Length;
            for (var v = 0; v < count; v++)
            {
                if (!AnyValueHits(record, head, captures, v))
                {
                    return false;
                }
            }

            return true;
        }

        return AnyValueHits(record, head, captures, -1);
    }

    /// <summary>Whether any captured value hits value <paramref name="only"/> of the test, or any of its values (-1).</summary>
    private bool AnyValueHits(ReadOnlySpan<byte> record, int head, ReadOnlySpan<CapturedValue> captures, int only)
    {
        for (var i = head; i >= 0; i = captures[i].Next)
        {
            var capture = captures[i];
            if (capture.Kind == JsonTokenType.Null)
            {
                if (Test.MatchesNull)
                {
                    return true;
                }

                continue;
            }

            if (ValueHits(record, capture, only))
            {
                return true;
            }
        }

        return false;
    }

    private bool ValueHits(ReadOnlySpan<byte> record, in CapturedValue capture, int only)
    {
        if (Test.Kind == SigmaTestKind.Patterns && !(capture.Kind == JsonTokenType.String && capture.Escaped)
            && BytesHit(record.Slice(capture.Start, capture.Length), only) is { } decided)
        {
            return decided;
        }

        if (Test.Kind == SigmaTestKind.Regex && !(capture.Kind == JsonTokenType.String && capture.Escaped)
            && RegexesRuledOut(record.Slice(capture.Start, capture.Length), only))
        {
            return false;
        }

        var state = (Test, only);
        return Test.Kind switch
        {
            SigmaTestKind.Regex => WithText(record, capture, state, static (text, s) =>
            {
                if (s.only >= 0)
                {
                    return s.Test.Regexes[s.only].IsMatch(text);
                }

                foreach (var regex in s.Test.Regexes)
                {
                    if (regex.IsMatch(text))
                    {
                        return true;
                    }
                }

                return false;
            }),
            SigmaTestKind.Compare => WithText(record, capture, state, static (text, s) =>
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }

                for (var c = 0; c < s.Test.Comparisons.Length; c++)
                {
                    if ((s.only < 0 || s.only == c) && Compare(s.Test.Comparisons[c], number))
                    {
                        return true;
                    }
                }

                return false;
            }),
            _ => WithText(record, capture, state, static (text, s) => s.only >= 0 ? s.Test.Patterns[s.only].IsMatch(text) : AnyPattern(s.Test, text)),
        };
    }

    /// <summary>Whether regex <paramref name="only"/> (or every regex, -1) needs a literal the value's raw UTF-8 lacks.</summary>
    private bool RegexesRuledOut(ReadOnlySpan<byte> value, int only)
    {
        var literals = Test.RegexLiterals;
        if (only >= 0)
        {
            return literals[only] is { } literal && value.IndexOf(literal) < 0;
        }

        foreach (var literal in literals)
        {
            if (literal is null || value.IndexOf(literal) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Pattern <paramref name="only"/> (or any, -1) on a value's raw UTF-8, or null when a pattern needs the chars.</summary>
    private bool? BytesHit(ReadOnlySpan<byte> value, int only)
    {
        if (only >= 0)
        {
            return Test.Patterns[only].IsMatchUtf8(value);
        }

        var undecided = false;
        foreach (var pattern in Test.Patterns)
        {
            switch (pattern.IsMatchUtf8(value))
            {
                case true:
                    return true;
                case null:
                    undecided = true;
                    break;
            }
        }

        return undecided ? null : false;
    }

    private static bool AnyPattern(SigmaFieldTest test, ReadOnlySpan<char> text)
    {
        foreach (var pattern in test.Patterns)
        {
            if (pattern.IsMatch(text))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Compare((string Op, double Value) comparison, double number) => comparison.Op switch
    {
        "gt" => number > comparison.Value,
        "gte" => number >= comparison.Value,
        "lt" => number < comparison.Value,
        _ => number <= comparison.Value,
    };

    private bool CidrHit(ReadOnlySpan<byte> record, int head, ReadOnlySpan<CapturedValue> captures)
    {
        for (var i = head; i >= 0; i = captures[i].Next)
        {
            var capture = captures[i];
            if (capture.Kind != JsonTokenType.String || capture.Escaped
                || !CidrRange.TryParseAddress(record.Slice(capture.Start, capture.Length), out var isV4, out var address))
            {
                continue;
            }

            var hits = 0;
            foreach (var range in Test.Cidrs)
            {
                if (range.Contains(isV4, address))
                {
                    if (!Test.All)
                    {
                        return true;
                    }

                    hits++;
                }
            }

            if (Test.All && hits == Test.Cidrs.Length)
            {
                return true;
            }
        }

        return false;
    }

    private bool FieldRefHit(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, int head, ReadOnlySpan<CapturedValue> captures)
    {
        if (head < 0)
        {
            return false;
        }

        var any = false;
        for (var r = 0; r < refLeafIds.Length; r++)
        {
            var hit = false;
            for (var j = heads[refLeafIds[r]]; j >= 0 && !hit; j = captures[j].Next)
            {
                var other = captures[j];
                if (other.Kind == JsonTokenType.Null)
                {
                    continue;
                }

                var wanted = Text(record, other);
                for (var i = head; i >= 0 && !hit; i = captures[i].Next)
                {
                    if (captures[i].Kind != JsonTokenType.Null)
                    {
                        hit = RefHit(Text(record, captures[i]), wanted);
                    }
                }
            }

            if (Test.All && !hit)
            {
                return false;
            }

            any |= hit;
        }

        return any;
    }

    private bool RefHit(string value, string wanted)
    {
        var comparison = Test.Cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return Test.RefMode switch
        {
            SigmaRefMode.Contains => value.Contains(wanted, comparison),
            SigmaRefMode.StartsWith => value.StartsWith(wanted, comparison),
            SigmaRefMode.EndsWith => value.EndsWith(wanted, comparison),
            _ => value.Equals(wanted, comparison),
        };
    }

    /// <summary>A captured value as text: a string unescaped, a number or literal as written, an object or array as its JSON.</summary>
    private static string Text(ReadOnlySpan<byte> record, in CapturedValue capture) =>
        WithText(record, capture, 0, static (text, _) => text.ToString());

    private delegate T TextFunc<TState, T>(ReadOnlySpan<char> text, TState state);

    private static T WithText<TState, T>(ReadOnlySpan<byte> record, in CapturedValue capture, TState state, TextFunc<TState, T> func)
    {
        var raw = record.Slice(capture.Start, capture.Length);
        if (capture.Kind == JsonTokenType.String && capture.Escaped)
        {
            byte[]? rentedBytes = null;
            try
            {
                Span<byte> buffer = raw.Length <= StackChars ? stackalloc byte[StackChars] : (rentedBytes = ArrayPool<byte>.Shared.Rent(raw.Length));
                var reader = new Utf8JsonReader(record.Slice(capture.Start - 1, capture.Length + 2));
                reader.Read();
                var length = reader.CopyString(buffer);
                return WithChars(buffer[..length], state, func);
            }
            finally
            {
                if (rentedBytes is not null)
                {
                    ArrayPool<byte>.Shared.Return(rentedBytes);
                }
            }
        }

        return WithChars(raw, state, func);
    }

    private static T WithChars<TState, T>(ReadOnlySpan<byte> utf8, TState state, TextFunc<TState, T> func)
    {
        char[]? rented = null;
        try
        {
            Span<char> buffer = utf8.Length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
            var length = Encoding.UTF8.GetChars(utf8, buffer);
            return func(buffer[..length], state);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
