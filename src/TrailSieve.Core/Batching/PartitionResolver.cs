using System.Buffers.Text;
using System.Text;
using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Batching;

/// <summary>
/// Maps a record's account, region and eventTime bytes to its <see cref="PartitionKey"/>, remembering the last one so
/// consecutive records of the same partition (nearly all of a CloudTrail file) cost a byte comparison, not strings.
/// One per filter worker; not thread-safe.
/// </summary>
public sealed class PartitionResolver
{
    private const string Unknown = "unknown";

    private byte[] _lastAccount = [];
    private byte[] _lastRegion = [];
    private byte[] _lastDay = [];
    private PartitionKey _last;
    private bool _hasLast;

    public PartitionKey Resolve(ReadOnlySpan<byte> record, in EvaluatedFields fields)
    {
        var account = Slice(record, fields.RecipientAccountId);
        var region = Slice(record, fields.AwsRegion);
        var time = Slice(record, fields.EventTime);
        var day = time.Length >= 10 ? time[..10] : time;
        if (_hasLast && account.SequenceEqual(_lastAccount) && region.SequenceEqual(_lastRegion) && day.SequenceEqual(_lastDay))
        {
            return _last;
        }

        _lastAccount = account.ToArray();
        _lastRegion = region.ToArray();
        _lastDay = day.ToArray();
        _last = new PartitionKey(Sanitize(account), Sanitize(region), ParseDay(day));
        _hasLast = true;
        return _last;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> record, Range range)
    {
        var (offset, length) = range.GetOffsetAndLength(record.Length);
        return record.Slice(offset, length);
    }

    /// <summary>Keeps key-safe characters only, so a junk value cannot leave its folder or break a key.</summary>
    public static string Sanitize(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return Unknown;
        }

        var text = Encoding.UTF8.GetString(value[..Math.Min(value.Length, 64)]);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>yyyy-MM-dd of an ISO-8601 eventTime; <see cref="DateOnly.MinValue"/> when absent or not a date.</summary>
    public static DateOnly ParseDay(ReadOnlySpan<byte> day)
    {
        if (day.Length == 10 && day[4] == (byte)'-' && day[7] == (byte)'-'
            && Utf8Parser.TryParse(day[..4], out int year, out var n1) && n1 == 4
            && Utf8Parser.TryParse(day.Slice(5, 2), out int month, out var n2) && n2 == 2
            && Utf8Parser.TryParse(day.Slice(8, 2), out int dayOfMonth, out var n3) && n3 == 2
            && year is >= 1 and <= 9999 && month is >= 1 and <= 12 && dayOfMonth >= 1 && dayOfMonth <= DateTime.DaysInMonth(year, month))
        {
            return new DateOnly(year, month, dayOfMonth);
        }

        return DateOnly.MinValue;
    }
}
