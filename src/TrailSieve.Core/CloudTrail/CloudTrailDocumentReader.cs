using System.Buffers;
using System.Text.Json;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// Reads the records of a CloudTrail document (<c>{"Records":[{...},...]}</c>) from a buffer that grows as input
/// arrives, in the style of Kestrel's frame readers: pure, resumable through <see cref="CloudTrailReaderState"/>.
/// </summary>
/// <remarks>
/// Accepts a UTF-8 byte order mark, any white space, other top-level keys before or after <c>Records</c> (skipped, even
/// when they hold a "Records" of their own), and an empty <c>Records</c> array. Rejects everything else with a
/// <see cref="CloudTrailFormatException"/> whose message says why.
/// </remarks>
public static class CloudTrailDocumentReader
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> WhiteSpace => " \t\r\n"u8;

    /// <summary>
    /// Reads the next record. On true, <paramref name="record"/> is the record's exact bytes (valid until the buffer is
    /// advanced) and <paramref name="buffer"/> starts after it. On false, more input is needed (advance the pipe to
    /// <paramref name="buffer"/>'s start, examined to its end) or the document is complete
    /// (<see cref="CloudTrailReaderState.IsComplete"/>). An element that is not an object, or is over a limit, fails
    /// the document here; the overload with a quarantine puts it aside instead.
    /// </summary>
    /// <exception cref="CloudTrailFormatException">The input is not a readable CloudTrail document.</exception>
    public static bool TryReadRecord(
        ref ReadOnlySequence<byte> buffer,
        ref CloudTrailReaderState state,
        bool isFinalBlock,
        RecordReaderOptions options,
        out ReadOnlySequence<byte> record) =>
        Read(ref buffer, ref state, isFinalBlock, options, quarantine: false, out record, out _);

    /// <summary>
    /// Reads the next element of <c>Records</c>. On true, either <paramref name="quarantined"/> is null and
    /// <paramref name="record"/> is a record's exact bytes, as in the other overload, or <paramref name="quarantined"/>
    /// says which element was put aside and why: well-formed JSON that is not an object (kept with its bytes), larger
    /// than <see cref="RecordReaderOptions.MaxRecordBytes"/> or deeper than <see cref="RecordReaderOptions.MaxDepth"/>
    /// (streamed past without being buffered: its place and length only). A syntax error, truncation or trailing data
    /// still fails the document, with the byte offset in the message.
    /// </summary>
    /// <exception cref="CloudTrailFormatException">The input is not a readable CloudTrail document.</exception>
    public static bool TryReadRecord(
        ref ReadOnlySequence<byte> buffer,
        ref CloudTrailReaderState state,
        bool isFinalBlock,
        RecordReaderOptions options,
        out ReadOnlySequence<byte> record,
        out QuarantinedRecord? quarantined) =>
        Read(ref buffer, ref state, isFinalBlock, options, quarantine: true, out record, out quarantined);

    private static bool Read(
        ref ReadOnlySequence<byte> buffer,
        ref CloudTrailReaderState state,
        bool isFinalBlock,
        RecordReaderOptions options,
        bool quarantine,
        out ReadOnlySequence<byte> record,
        out QuarantinedRecord? quarantined)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            return Step(ref reader, ref state, isFinalBlock, options, quarantine, out record, out quarantined);
        }
        finally
        {
            state.BytesConsumed += reader.Consumed;
            buffer = buffer.Slice(reader.Position);
        }
    }

    private static bool Step(
        ref SequenceReader<byte> reader,
        ref CloudTrailReaderState state,
        bool isFinalBlock,
        RecordReaderOptions options,
        bool quarantine,
        out ReadOnlySequence<byte> record,
        out QuarantinedRecord? quarantined)
    {
        record = default;
        quarantined = null;
        while (true)
        {
            byte next;
            switch (state.Phase)
            {
                case DocumentPhase.ByteOrderMark:
                    if (reader.Remaining < ByteOrderMark.Length && !isFinalBlock && IsPrefixOfByteOrderMark(reader.UnreadSequence))
                    {
                        return false;
                    }

                    reader.IsNext(ByteOrderMark, advancePast: true);
                    state.Phase = DocumentPhase.RootOpen;
                    break;

                case DocumentPhase.RootOpen:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        if (isFinalBlock)
                        {
                            throw state.BytesConsumed + reader.Consumed == 0
                                ? new CloudTrailFormatException(CloudTrailErrorKind.Empty, "the file is empty")
                                : new CloudTrailFormatException(CloudTrailErrorKind.NotJson, "the file holds only white space");
                        }

                        return false;
                    }

                    if (next != (byte)'{')
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.NotJson, $"not a CloudTrail JSON object: the content starts with {Describe(next)} (at byte {At(state, reader)})");
                    }

                    reader.Advance(1);
                    state.Phase = DocumentPhase.FirstKeyOrEnd;
                    break;

                case DocumentPhase.FirstKeyOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object", At(state, reader));
                    }

                    if (next == (byte)'}')
                    {
                        reader.Advance(1);
                        CloseRoot(ref state);
                        break;
                    }

                    state.Phase = DocumentPhase.Key;
                    break;

                case DocumentPhase.Key:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object", At(state, reader));
                    }

                    if (next != (byte)'"')
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.NotJson, $"invalid JSON: expected a property name but found {Describe(next)} at byte {At(state, reader)}");
                    }

                    if (!TryReadKey(ref reader, ref state, options, At(state, reader)))
                    {
                        return NeedMore(isFinalBlock, "a property name", At(state, reader));
                    }

                    state.Phase = DocumentPhase.Colon;
                    break;

                case DocumentPhase.Colon:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object", At(state, reader));
                    }

                    if (next != (byte)':')
                    {
                        throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, $"invalid JSON: expected ':' but found {Describe(next)} at byte {At(state, reader)}");
                    }

                    reader.Advance(1);
                    state.Phase = DocumentPhase.Value;
                    break;

                case DocumentPhase.Value:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object", At(state, reader));
                    }

                    if (!state.CurrentKeyIsRecords)
                    {
                        state.Phase = DocumentPhase.SkipValue;
                        break;
                    }

                    if (state.SawRecords)
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.NotJson, $"the document has more than one \"Records\" key (the second's value at byte {At(state, reader)})");
                    }

                    if (next != (byte)'[')
                    {
                        throw new CloudTrailFormatException(CloudTrailErrorKind.RecordsNotArray, $"\"Records\" is {Describe(next)}, not an array (at byte {At(state, reader)})");
                    }

                    reader.Advance(1);
                    state.SawRecords = true;
                    state.Phase = DocumentPhase.FirstElementOrEnd;
                    break;

                case DocumentPhase.SkipValue:
                    if (!TrySkipValue(ref reader, options, At(state, reader)))
                    {
                        return NeedMore(isFinalBlock, "a top-level value", At(state, reader));
                    }

                    state.Phase = DocumentPhase.KeySeparatorOrEnd;
                    break;

                case DocumentPhase.KeySeparatorOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object", At(state, reader));
                    }

                    if (next == (byte)',')
                    {
                        state.Phase = DocumentPhase.Key;
                    }
                    else if (next == (byte)'}')
                    {
                        CloseRoot(ref state);
                    }
                    else
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.NotJson,
                            $"invalid JSON: expected ',' or '}}' in the top-level object but found {Describe(next)} at byte {At(state, reader)}");
                    }

                    reader.Advance(1);

                    break;

                case DocumentPhase.FirstElementOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the Records array", At(state, reader));
                    }

                    if (next == (byte)']')
                    {
                        reader.Advance(1);
                        state.Phase = DocumentPhase.KeySeparatorOrEnd;
                        break;
                    }

                    state.Phase = DocumentPhase.Element;
                    break;

                case DocumentPhase.Element:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the Records array", At(state, reader));
                    }

                    if (next != (byte)'{' && !quarantine)
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.RecordsNotArray,
                            $"element {state.ElementIndex} of \"Records\" is {Describe(next)}, not an object (at byte {At(state, reader)})");
                    }

                    state.ElementOffset = At(state, reader);
                    state.ElementStart = next;
                    state.ScanOffset = 0;
                    state.Depth = 0;
                    state.InString = false;
                    state.Escaped = false;
                    state.TooDeep = false;
                    state.SkippedBytes = 0;
                    if (next is (byte)'{' or (byte)'[' or (byte)'"')
                    {
                        state.Phase = DocumentPhase.InRecord;
                        break;
                    }

                    // A number, true, false or null (or not JSON at all, which fails the document).
                    if (!TryReadLiteral(ref reader, ref state, options, out quarantined))
                    {
                        return NeedMore(isFinalBlock, $"record {state.ElementIndex}", state.ElementOffset);
                    }

                    state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                    return true;

                case DocumentPhase.InRecord:
                    var unread = reader.UnreadSequence;
                    // Messages are formatted only on the throwing and quarantining paths: this runs once per record.
                    if (!RecordBoundaryScanner.TryFindEnd(unread, ref state, options.MaxDepth, out var length))
                    {
                        if (state.TooDeep || state.ScanOffset > options.MaxRecordBytes)
                        {
                            ThrowIfStrict(quarantine, state, options);

                            // Over a limit: stream past the rest of it, consuming what was scanned and keeping only
                            // the scan's state, so the pipe never holds more of it than one read.
                            reader.Advance(state.ScanOffset);
                            state.SkippedBytes = state.ScanOffset;
                            state.ScanOffset = 0;
                            state.Phase = DocumentPhase.SkipElement;
                            break;
                        }

                        return NeedMore(isFinalBlock, $"record {state.ElementIndex}", state.ElementOffset);
                    }

                    if (state.TooDeep || length > options.MaxRecordBytes)
                    {
                        state.ScanOffset = length;
                        ThrowIfStrict(quarantine, state, options);
                        reader.Advance(length);
                        quarantined = OverLimit(ref state, length, options);
                        state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                        return true;
                    }

                    if (state.ElementStart == (byte)'{')
                    {
                        record = unread.Slice(0, length);
                        reader.Advance(length);
                        state.RecordCount++;
                        state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                        return true;
                    }

                    // An array or a string within the limits: kept whole, once it is known to be valid JSON.
                    quarantined = NotAnObject(ref state, unread.Slice(0, length), options);
                    reader.Advance(length);
                    state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                    return true;

                case DocumentPhase.SkipElement:
                    var rest = reader.UnreadSequence;
                    if (!RecordBoundaryScanner.TryFindEnd(rest, ref state, options.MaxDepth, out var tail))
                    {
                        reader.Advance(rest.Length);
                        state.SkippedBytes += rest.Length;
                        state.ScanOffset = 0;
                        return NeedMore(isFinalBlock, $"record {state.ElementIndex}", state.ElementOffset);
                    }

                    reader.Advance(tail);
                    quarantined = OverLimit(ref state, state.SkippedBytes + tail, options);
                    state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                    return true;

                case DocumentPhase.ElementSeparatorOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the Records array", At(state, reader));
                    }

                    if (next == (byte)',')
                    {
                        state.Phase = DocumentPhase.Element;
                    }
                    else if (next == (byte)']')
                    {
                        state.Phase = DocumentPhase.KeySeparatorOrEnd;
                    }
                    else
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.NotJson,
                            $"invalid JSON: expected ',' or ']' after record {state.ElementIndex - 1} but found {Describe(next)} at byte {At(state, reader)}");
                    }

                    reader.Advance(1);

                    break;

                case DocumentPhase.AfterRoot:
                    if (TryPeekToken(ref reader, out next))
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.TrailingData, $"unexpected data after the end of the JSON document: {Describe(next)} at byte {At(state, reader)}");
                    }

                    if (isFinalBlock)
                    {
                        state.Phase = DocumentPhase.Done;
                    }

                    return false;

                case DocumentPhase.Done:
                    return false;
            }
        }
    }

    private static bool NeedMore(bool isFinalBlock, string where, long startOffset) =>
        isFinalBlock
            ? throw new CloudTrailFormatException(
                CloudTrailErrorKind.TruncatedJson, $"truncated JSON: the data ends inside {where}, which starts at byte {startOffset}")
            : false;

    /// <summary>Offset in the decoded document of the reader's position.</summary>
    private static long At(in CloudTrailReaderState state, in SequenceReader<byte> reader) => state.BytesConsumed + reader.Consumed;

    private static void CloseRoot(ref CloudTrailReaderState state)
    {
        if (!state.SawRecords && !state.SawDigestKey)
        {
            throw new CloudTrailFormatException(CloudTrailErrorKind.NoRecords, "the JSON object has no \"Records\" key");
        }

        state.Phase = DocumentPhase.AfterRoot;
    }

    private static bool TryPeekToken(ref SequenceReader<byte> reader, out byte next)
    {
        reader.AdvancePastAny(WhiteSpace);
        return reader.TryPeek(out next);
    }

    private static bool TryReadKey(ref SequenceReader<byte> reader, ref CloudTrailReaderState state, RecordReaderOptions options, long offset)
    {
        // Never final: a value cut off by the end of the data is truncation, reported by the caller as such.
        var json = new Utf8JsonReader(reader.UnreadSequence, isFinalBlock: false, default);
        try
        {
            if (!json.Read())
            {
                ThrowIfTooLarge(reader.Remaining, options, "a property name");
                return false;
            }

            state.CurrentKeyIsRecords = json.ValueTextEquals("Records"u8);
            state.SawDigestKey |= json.ValueTextEquals("digestPublicKeyFingerprint"u8);
        }
        catch (JsonException ex)
        {
            throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, $"invalid JSON in the property name at byte {offset}: {ex.Message}", ex);
        }

        reader.Advance(json.BytesConsumed);
        return true;
    }

    private static bool TrySkipValue(ref SequenceReader<byte> reader, RecordReaderOptions options, long offset)
    {
        var json = new Utf8JsonReader(
            reader.UnreadSequence, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = options.MaxDepth }));
        try
        {
            if (!json.Read() || !json.TrySkip())
            {
                ThrowIfTooLarge(reader.Remaining, options, "a top-level value");
                return false;
            }
        }
        catch (JsonException ex)
        {
            throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, $"invalid JSON in the top-level value at byte {offset}: {ex.Message}", ex);
        }

        reader.Advance(json.BytesConsumed);
        return true;
    }

    /// <summary>Reads a literal element (a number, true, false or null) and quarantines it with its bytes.</summary>
    private static bool TryReadLiteral(
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
    private static QuarantinedRecord NotAnObject(ref CloudTrailReaderState state, in ReadOnlySequence<byte> value, RecordReaderOptions options)
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
    private static QuarantinedRecord OverLimit(ref CloudTrailReaderState state, long length, RecordReaderOptions options)
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

    private static CloudTrailFormatException InvalidElement(in CloudTrailReaderState state, JsonException ex) => new(
        CloudTrailErrorKind.NotJson,
        $"invalid JSON in record {state.ElementIndex}, which starts at byte {state.ElementOffset}"
            + (ex.LineNumber == 0 ? $", at byte {state.ElementOffset + ex.BytePositionInLine}" : string.Empty) + $": {ex.Message}",
        ex);

    /// <summary>Where nothing can be put aside, an element over a limit fails the document as soon as it is seen.</summary>
    private static void ThrowIfStrict(bool quarantine, in CloudTrailReaderState state, RecordReaderOptions options)
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

    private static void ThrowIfTooLarge(long length, RecordReaderOptions options, string what)
    {
        if (length > options.MaxRecordBytes)
        {
            throw new CloudTrailFormatException(
                CloudTrailErrorKind.RecordTooLarge, $"{what} is larger than the maximum record size of {options.MaxRecordBytes} bytes");
        }
    }

    private static bool IsPrefixOfByteOrderMark(ReadOnlySequence<byte> unread)
    {
        Span<byte> head = stackalloc byte[3];
        var length = (int)Math.Min(unread.Length, 3);
        unread.Slice(0, length).CopyTo(head);
        return ByteOrderMark.StartsWith(head[..length]);
    }

    private static string Describe(byte b) => b switch
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
