using System.Globalization;
using System.Text;

namespace TrailSieve.Core.Tests.CloudTrail;

/// <summary>
/// Random JSON for the boundary scanner's differential tests, seeded so a failure repeats: objects and arrays a few
/// levels deep whose strings are full of what a structural scan can trip on (brackets, quotes and backslash runs of
/// every length, escapes, multi-byte UTF-8), long enough to cross 64-byte blocks; and mutations that break it.
/// </summary>
internal sealed class JsonMaker(int seed)
{
    private static readonly string[] s_pieces =
    [
        "a", "Z", " ", "{", "}", "[", "]", ",", ":", "\\\"", "\\\\", "\\\\\\\\", "\\\\\\\"", "\\n", "\\/", "\\u00e9", "\\u007d",
        "é", "✓", "😀", "arn:aws:iam::123456789012:role/x", "\\\\\\\\\\\\",
    ];

    private static readonly string[] s_insertions =
    [
        "\"", "\\", "\\\\", "\\\\\\", "\\\"", "\\\\\"", "{", "[", "}", "]", ",", ":", "é", "😀", "\u00e9\"", "\\u",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A document of <paramref name="records"/> random records.</summary>
    public byte[] Document(int records)
    {
        var text = new StringBuilder("{\"Records\":[");
        for (var i = 0; i < records; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(_random.Next(4) == 0 ? "\n  " : string.Empty);
            Object(text, 0);
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    /// <summary>One random record (a JSON object).</summary>
    public byte[] Record()
    {
        var text = new StringBuilder();
        Object(text, 0);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// <paramref name="data"/> with one random change: cut short, a byte deleted, or something inserted (a stray quote,
    /// a backslash run, a bracket, a nesting run, invalid or multi-byte UTF-8), often just before a 64-byte boundary
    /// counted from a record's start, where a block scan carries its state.
    /// </summary>
    public byte[] Mutate(byte[] data)
    {
        var at = Position(data);
        switch (_random.Next(6))
        {
            case 0:
                return data[..at];
            case 1:
                return at < data.Length ? [.. data[..at], .. data[(at + 1)..]] : data;
            case 2:
                return Insert(data, at, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(_random.Next(2) == 0 ? "{\"a\":" : "[", 4 + _random.Next(12)))));
            case 3:
                return Insert(data, at, _random.Next(2) == 0 ? [0xFF] : [0xC3]);
            default:
                return Insert(data, at, Encoding.UTF8.GetBytes(s_insertions[_random.Next(s_insertions.Length)]));
        }
    }

    private static byte[] Insert(byte[] data, int at, byte[] inserted) => [.. data[..at], .. inserted, .. data[at..]];

    private int Position(byte[] data)
    {
        if (_random.Next(2) == 0)
        {
            return _random.Next(data.Length + 1);
        }

        // Near a block boundary of a record: a record's first byte is scanned alone, then blocks of 64 follow.
        var starts = new List<int>();
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'{' && i > 0)
            {
                starts.Add(i);
            }
        }

        var start = starts.Count == 0 ? 0 : starts[_random.Next(starts.Count)];
        var at = start + 1 + (64 * _random.Next(1, 8)) - _random.Next(4);
        return Math.Clamp(at, 0, data.Length);
    }

    private void Object(StringBuilder text, int depth)
    {
        text.Append('{');
        var count = _random.Next(depth == 0 ? 3 : 0, depth == 0 ? 12 : 6);
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(_random.Next(5) == 0 ? " " : string.Empty);
            String(text, 12);
            text.Append(_random.Next(5) == 0 ? " : " : ":");
            Value(text, depth + 1);
        }

        text.Append('}');
    }

    private void Value(StringBuilder text, int depth)
    {
        switch (_random.Next(depth > 5 ? 4 : 7))
        {
            case 0:
                text.Append(_random.Next(-100000, 100000).ToString(CultureInfo.InvariantCulture));
                break;
            case 1:
                text.Append(_random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" });
                break;
            case 2:
            case 3:
                String(text, 120);
                break;
            case 4:
            case 5:
                Object(text, depth);
                break;
            default:
                text.Append('[');
                var count = _random.Next(4);
                for (var i = 0; i < count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ",");
                    Value(text, depth + 1);
                }

                text.Append(']');
                break;
        }
    }

    private void String(StringBuilder text, int maxPieces)
    {
        text.Append('"');
        var pieces = _random.Next(maxPieces);
        for (var i = 0; i < pieces; i++)
        {
            text.Append(s_pieces[_random.Next(s_pieces.Length)]);
        }

        text.Append('"');
    }
}
