using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrailSieve.Core.Detections;

/// <summary>
/// Writes a finding as one JSON line (UTF-8, ending in <c>\n</c>): the detection, severity and description, the
/// record's key fields copied as the record has them, the principal, the source object, the threshold window when
/// there is one, a Sigma rule's id, title, level, status, tags and false-positive hints as <c>sigma</c>, and the whole record as <c>record</c> with its original bytes. Nothing of the record is
/// re-serialised: only whitespace between its tokens is removed (strings are untouched), so a pretty-printed record
/// still gives one line.
/// </summary>
public static class FindingWriter
{
    private static readonly SearchValues<byte> s_outside = SearchValues.Create("\" \t\r\n"u8);

    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    // What a detection writes into every finding it raises, escaped once per detection instead of once per finding
    // (a Sigma rule's description, tags and false-positive hints run to a kilobyte). Weak: detections of a reloaded
    // rule set go with it.
    private static readonly ConditionalWeakTable<Detection, EncodedDetection> s_encoded = new();

    /// <summary>The keys of a finding line, in the order they are written.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "detection", "severity", "description", "eventID", "eventTime", "eventName", "eventSource", "awsRegion",
        "recipientAccountId", "principal", "sourceIPAddress", "source", "threshold", "sigma", "record",
    ];

    /// <summary>Appends the finding line for <paramref name="record"/> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> record, Detection detection, string source, ThresholdWindow? threshold)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = CreateWriter(output);
        Write(writer, output, record, FindingFields.Read(record), detection, source, threshold);
    }

    /// <summary>A writer for <see cref="Write(Utf8JsonWriter, IBufferWriter{byte}, ReadOnlySpan{byte}, in FindingFields, Detection, string, ThresholdWindow?)"/>, reusable line after line.</summary>
    internal static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, s_options);

    /// <summary>
    /// Appends the finding line through <paramref name="writer"/> (reset onto <paramref name="output"/>), with the
    /// record's <paramref name="fields"/> read once for all the findings of one record.
    /// </summary>
    internal static void Write(Utf8JsonWriter writer, IBufferWriter<byte> output, ReadOnlySpan<byte> record, in FindingFields fields, Detection detection, string source, ThresholdWindow? threshold)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(source);
        writer.Reset(output);
        writer.WriteStartObject();
        var encoded = s_encoded.GetValue(detection, static d => new EncodedDetection(d));
        writer.WriteString("detection"u8, encoded.Name);
        writer.WriteString("severity"u8, encoded.Severity);
        writer.WriteString("description"u8, encoded.Description);
        WriteRaw(writer, "eventID"u8, record, fields.EventId);
        WriteRaw(writer, "eventTime"u8, record, fields.EventTime);
        WriteRaw(writer, "eventName"u8, record, fields.EventName);
        WriteRaw(writer, "eventSource"u8, record, fields.EventSource);
        WriteRaw(writer, "awsRegion"u8, record, fields.AwsRegion);
        WriteRaw(writer, "recipientAccountId"u8, record, fields.RecipientAccountId);
        WritePrincipal(writer, record, fields);
        WriteRaw(writer, "sourceIPAddress"u8, record, fields.SourceIpAddress);
        writer.WriteString("source"u8, source);
        if (threshold is { } window)
        {
            writer.WriteStartObject("threshold"u8);
            writer.WriteString("group"u8, window.Group);
            writer.WriteNumber("count"u8, window.Count);
            writer.WriteString("window"u8, window.Window.ToString("c", CultureInfo.InvariantCulture));
            writer.WriteString("windowStart"u8, window.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
            writer.WriteString("windowEnd"u8, window.End.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        if (encoded.Sigma is { } sigmaJson)
        {
            writer.WritePropertyName("sigma"u8);
            writer.WriteRawValue(sigmaJson, skipInputValidation: true);
        }

        writer.WritePropertyName("record"u8);
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, record.Length));
        try
        {
            var length = Compact(record, rented);
            writer.WriteRawValue(rented.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        writer.WriteEndObject();
        writer.Flush();

        output.Write("\n"u8);
    }

    /// <summary>
    /// Copies valid JSON without the whitespace between its tokens (space, tab, CR, LF outside strings); string
    /// contents, escapes included, are copied byte for byte. Returns the length written.
    /// </summary>
    public static int Compact(ReadOnlySpan<byte> json, Span<byte> destination)
    {
        var written = 0;
        var rest = json;
        while (!rest.IsEmpty)
        {
            // Outside strings: copy up to the next quote or whitespace, drop whitespace.
            var stop = rest.IndexOfAny(s_outside);
            if (stop < 0)
            {
                rest.CopyTo(destination[written..]);
                return written + rest.Length;
            }

            rest[..stop].CopyTo(destination[written..]);
            written += stop;
            if (rest[stop] != '"')
            {
                rest = rest[(stop + 1)..];
                continue;
            }

            // A string: copy it whole, escapes included, up to its closing quote.
            var end = stop + 1;
            while (true)
            {
                var next = rest[end..].IndexOfAny((byte)'"', (byte)'\\');
                if (next < 0)
                {
                    end = rest.Length;
                    break;
                }

                end += next;
                if (rest[end] == '\\')
                {
                    end += 2;
                    continue;
                }

                end++;
                break;
            }

            end = Math.Min(end, rest.Length);
            rest[stop..end].CopyTo(destination[written..]);
            written += end - stop;
            rest = rest[end..];
        }

        return written;
    }

    private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> record, Range raw)
    {
        var token = record[raw];
        if (token.IsEmpty)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(token, skipInputValidation: true);
    }

    /// <summary>userIdentity.arn; else "type:principalId" (e.g. an AWS service or a federated user); else null.</summary>
    private static void WritePrincipal(Utf8JsonWriter writer, ReadOnlySpan<byte> record, in FindingFields fields)
    {
        var arn = record[fields.Arn];
        if (arn.Length > 2 && arn[0] == '"')
        {
            WriteRaw(writer, "principal"u8, record, fields.Arn);
            return;
        }

        var type = Text(record, fields.IdentityType);
        var principalId = Text(record, fields.PrincipalId);
        if (type.Length == 0 && principalId.Length == 0)
        {
            writer.WriteNull("principal"u8);
            return;
        }

        writer.WriteString("principal"u8, principalId.Length == 0 ? type : $"{type}:{principalId}");
    }

    private static string Text(ReadOnlySpan<byte> record, Range raw)
    {
        var token = record[raw];
        if (token.IsEmpty)
        {
            return string.Empty;
        }

        var reader = new Utf8JsonReader(token);
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString() ?? string.Empty : System.Text.Encoding.UTF8.GetString(token);
    }
    /// <summary>A detection's name, severity and description as escaped JSON text, and its <c>sigma</c> object's JSON.</summary>
    private sealed class EncodedDetection
    {
        public EncodedDetection(Detection detection)
        {
            Name = JsonEncodedText.Encode(detection.Name, s_options.Encoder);
            Severity = JsonEncodedText.Encode(detection.Severity, s_options.Encoder);
            Description = JsonEncodedText.Encode(detection.Description, s_options.Encoder);
            if (detection.Sigma is { } sigma)
            {
                var buffer = new ArrayBufferWriter<byte>(512);
                using (var writer = new Utf8JsonWriter(buffer, s_options))
                {
                    WriteSigma(writer, sigma, detection.Correlation);
                }

                Sigma = buffer.WrittenSpan.ToArray();
            }
        }

        public JsonEncodedText Name { get; }

        public JsonEncodedText Severity { get; }

        public JsonEncodedText Description { get; }

        public byte[]? Sigma { get; }
    }

    private static void WriteSigma(Utf8JsonWriter writer, SigmaInfo sigma, SigmaCorrelation? correlation)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, sigma.Id);
        writer.WriteString("title"u8, sigma.Title);
        writer.WriteString("level"u8, sigma.Level);
        writer.WriteString("status"u8, sigma.Status);
        writer.WriteStartArray("tags"u8);
        foreach (var tag in sigma.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("falsepositives"u8);
        foreach (var hint in sigma.FalsePositives)
        {
            writer.WriteStringValue(hint);
        }

        writer.WriteEndArray();
        if (correlation is not null)
        {
            writer.WriteString("correlation"u8, correlation.Kind switch
            {
                SigmaCorrelationKind.EventCount => "event_count",
                SigmaCorrelationKind.ValueCount => "value_count",
                _ => "temporal",
            });
        }

        writer.WriteEndObject();
    }
}
