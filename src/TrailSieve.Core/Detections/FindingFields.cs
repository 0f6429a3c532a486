using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TrailSieve.Core.Detections;

/// <summary>
/// The fields a finding names, read from a record that hit (the slow path: a second scan, of hitting records only).
/// Each is the raw JSON token as it is in the record (a string keeps its quotes and escapes), or empty when absent;
/// the <see cref="Rules.EvaluatedFields"/> of every record hold string contents instead.
/// </summary>
internal readonly ref struct FindingFields
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 4096 };

    private FindingFields(ReadOnlySpan<byte> record)
    {
        Record = record;
    }

    public ReadOnlySpan<byte> Record { get; }

    public Range EventId { get; private init; }

    public Range EventTime { get; private init; }

    public Range EventName { get; private init; }

    public Range EventSource { get; private init; }

    public Range AwsRegion { get; private init; }

    public Range RecipientAccountId { get; private init; }

    public Range SourceIpAddress { get; private init; }

    public Range Arn { get; private init; }

    public Range IdentityType { get; private init; }

    public Range PrincipalId { get; private init; }

    public Range IdentityAccountId { get; private init; }

    public static FindingFields Read(ReadOnlySpan<byte> record)
    {
        Range eventId = default, eventTime = default, eventName = default, eventSource = default, awsRegion = default;
        Range recipient = default, sourceIp = default, arn = default, type = default, principalId = default, identityAccount = default;
        var reader = new Utf8JsonReader(record, s_options);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("userIdentity"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("arn"u8))
                    {
                        arn = Scalar(ref reader);
                    }
                    else if (reader.ValueTextEquals("type"u8))
                    {
                        type = Scalar(ref reader);
                    }
                    else if (reader.ValueTextEquals("principalId"u8))
                    {
                        principalId = Scalar(ref reader);
                    }
                    else if (reader.ValueTextEquals("accountId"u8))
                    {
                        identityAccount = Scalar(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                continue;
            }

            if (reader.ValueTextEquals("eventID"u8))
            {
                eventId = Scalar(ref reader);
            }
            else if (reader.ValueTextEquals("eventTime"u8))
            {
                eventTime = Scalar(ref reader);
            }
            else if (reader.ValueTextEquals("eventName"u8))
            {
                eventName = Scalar(ref reader);
            }
            else if (reader.ValueTextEquals("eventSource"u8))
            {
                eventSource = Scalar(ref reader);
            }
            else if (reader.ValueTextEquals("awsRegion"u8))
            {
                awsRegion = Scalar(ref reader);
            }
            else if (reader.ValueTextEquals("recipientAccountId"u8))
            {
                recipient = Scalar(ref reader);
            }
            else if (reader.ValueTextEquals("sourceIPAddress"u8))
            {
                sourceIp = Scalar(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new FindingFields(record)
        {
            EventId = eventId,
            EventTime = eventTime,
            EventName = eventName,
            EventSource = eventSource,
            AwsRegion = awsRegion,
            RecipientAccountId = recipient.Equals(default(Range)) ? identityAccount : recipient,
            SourceIpAddress = sourceIp,
            Arn = arn,
            IdentityType = type,
            PrincipalId = principalId,
            IdentityAccountId = identityAccount,
        };
    }

    /// <summary>
    /// The value at a dotted path (objects only) as text: a string unescaped (the empty string is a value), a number
    /// or boolean as its JSON text. False when there is no such value: the path is missing, or leads to null, an
    /// object or an array.
    /// </summary>
    public static bool TryGetValueAt(ReadOnlySpan<byte> record, string path, out string value)
    {
        value = string.Empty;
        var segments = path.Split('.');
        var reader = new Utf8JsonReader(record, s_options);
        reader.Read();
        var depth = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }

            if (!reader.ValueTextEquals(segments[depth]))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (depth == segments.Length - 1)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        value = reader.GetString() ?? string.Empty;
                        return true;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                        value = Encoding.UTF8.GetString(reader.ValueSpan);
                        return true;
                    default:
                        return false;
                }
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            depth++;
        }

        return false;
    }

    /// <summary>An eventTime string (ISO 8601, UTC) as a time, without allocating.</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> record, Range raw, out DateTimeOffset time)
    {
        time = default;
        var token = record[raw];
        if (token.Length < 3 || token[0] != '"' || token.Length > 66)
        {
            return false;
        }

        Span<char> chars = stackalloc char[64];
        var length = Encoding.UTF8.GetChars(token[1..^1], chars);
        return DateTimeOffset.TryParse(chars[..length], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>The raw token the reader's current property value spans (a string with its quotes); empty for objects, arrays and null.</summary>
    private static Range Scalar(ref Utf8JsonReader reader)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new Range(start, (int)reader.BytesConsumed);
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                return new Range(start, start + reader.ValueSpan.Length);
            default:
                reader.Skip();
                return default;
        }
    }
}
