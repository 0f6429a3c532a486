using System.Buffers;
using System.Text.Json;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// What the document reader does with an element of <c>Records</c> it cannot hand on as a record: one that is not an
/// object, or is over <see cref="RecordReaderOptions.MaxRecordBytes"/> or <see cref="RecordReaderOptions.MaxDepth"/>.
/// Quarantined (with its bytes only when it is within both limits), or, where nothing can be put aside, the
/// document fails; the messages name the element and its byte offset.
/// </summary>
internal static class UnusableElements
{
    /// <summary>Reads a literal element (a number, true, false or null) and quarantines it with its bytes.</summary>
    internal static bool TryReadLiteral(
        ref SequenceReader<byte> reader, ref CloudTrailReaderState state, RecordReaderOptions options, out QuarantinedRecord? quarantined)
    {
        quarantined = null;
        // Never final: a number is complete only once a delimiter follows it; the end of the data is truncation.
        var json = new Utf8JsonReader(reader.UnreadSequence, isFinalBlock: false, default);
        try
        {
            if (!json.Read())
            {
                ThrowIfTooLarge(reader.Remaining, options, $"record {state.ElementIndex}");
                return false;
            }
        }
        catch (JsonException ex)
        {
            throw InvalidElement(state, ex);
        }

        var length = json.BytesConsumed;
        quarantined = Quarantine(ref state, length, QuarantineKind.NotAnObject, NotAnObjectReason(state), reader.UnreadSequence.Slice(0, length).ToArray());
        reader.Advance(length);
        return true;
    }

    /// <summary>An array or string element within the limits: valid JSON, quarantined with its bytes; otherwise the document fails.</summary>
    internal static QuarantinedRecord NotAnObject(ref CloudTrailReaderState state, in ReadOnlySequence<byte> value, RecordReaderOptions options)
    {
        var json = new Utf8JsonReader(value, isFinalBlock: true, new JsonReaderState(new JsonReaderOptions { MaxDepth = options.MaxDepth }));
        try
        {
            json.Read();
            json.Skip();
        }
        catch (JsonException ex)
        {
            throw InvalidElement(state, ex);
        }

        return Quarantine(ref state, value.Length, QuarantineKind.NotAnObject, NotAnObjectReason(state), value.ToArray());
    }

    /// <summary>An element streamed past because it passed a limit: quarantined with its place and length only.</summary>
    internal static QuarantinedRecord OverLimit(ref CloudTrailReaderState state, long length, RecordReaderOptions options)
    {
        var what = state.ElementStart == (byte)'{' ? string.Empty : $" ({Describe(state.ElementStart)}, not an object)";
        return state.TooDeep
            ? Quarantine(
                ref state, length, QuarantineKind.TooDeep, $"record {state.ElementIndex}{what} nests deeper than the maximum depth of {options.MaxDepth}", bytes: null)
            : Quarantine(
                ref state,
                length,
                QuarantineKind.RecordTooLarge,
                $"record {state.ElementIndex}{what} is {length} bytes, larger than the maximum record size of {options.MaxRecordBytes} bytes",
                bytes: null);
    }

    private static QuarantinedRecord Quarantine(ref CloudTrailReaderState state, long length, QuarantineKind kind, string reason, byte[]? bytes)
    {
        var quarantined = new QuarantinedRecord(state.ElementIndex, state.ElementOffset, length, kind, reason, bytes);
        state.QuarantinedCount++;
        return quarantined;
    }

    private static string NotAnObjectReason(in CloudTrailReaderState state) =>
        $"record {state.ElementIndex} is {Describe(state.ElementStart)}, not an object";

    internal static CloudTrailFormatException InvalidElement(in CloudTrailReaderState state, JsonException ex) => new(
        CloudTrailErrorKind.NotJson,
        $"invalid JSON in record {state.ElementIndex}, which starts at byte {state.ElementOffset}"
            + (ex.LineNumber == 0 ? $", at byte {state.ElementOffset + ex.BytePositionInLine}" : string.Empty) + $": {ex.Message}",
        ex);

    /// <summary>Where nothing can be put aside, an element over a limit fails the document as soon as it is seen.</summary>
    internal static void ThrowIfStrict(bool quarantine, in CloudTrailReaderState state, RecordReaderOptions options)
    {
        if (quarantine)
        {
            return;
        }

        if (state.TooDeep)
        {
            throw new CloudTrailFormatException(
                CloudTrailErrorKind.TooDeep, $"record {state.ElementIndex} nests deeper than the maximum depth of {options.MaxDepth} (it starts at byte {state.ElementOffset})");
        }

        ThrowIfTooLarge(state.ScanOffset, options, $"record {state.ElementIndex} (at byte {state.ElementOffset})");
    }

    internal static void ThrowIfTooLarge(long length, RecordReaderOptions options, string what)
    {
        if (length > options.MaxRecordBytes)
        {
            throw new CloudTrailFormatException(
                CloudTrailErrorKind.RecordTooLarge, $"{what} is larger than the maximum record size of {options.MaxRecordBytes} bytes");
        }
    }

    internal static string Describe(byte b) => b switch
    {
        (byte)'{' => "an object",
        (byte)'[' => "an array",
        (byte)'"' => "a string",
        (byte)'t' or (byte)'f' => "a boolean",
        (byte)'n' => "null",
        (byte)'-' or (>= (byte)'0' and <= (byte)'9') => "a number",
        _ when b is >= 0x20 and < 0x7F => $"'{(char)b}'",
        _ => $"byte 0x{b:X2}",
    };
}
