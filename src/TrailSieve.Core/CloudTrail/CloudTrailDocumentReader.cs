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
    /// (<see cref="CloudTrailReaderState.IsComplete"/>).
    /// </summary>
    /// <exception cref="CloudTrailFormatException">The input is not a readable CloudTrail document.</exception>
    public static bool TryReadRecord(
        ref ReadOnlySequence<byte> buffer,
        ref CloudTrailReaderState state,
        bool isFinalBlock,
        RecordReaderOptions options,
        out ReadOnlySequence<byte> record)
    {
        ArgumentNullException.ThrowIfNull(options);
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            return Step(ref reader, ref state, isFinalBlock, options, out record);
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
        out ReadOnlySequence<byte> record)
    {
        record = default;
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
                            CloudTrailErrorKind.NotJson, $"not a CloudTrail JSON object: the content starts with {Describe(next)}");
                    }

                    reader.Advance(1);
                    state.Phase = DocumentPhase.FirstKeyOrEnd;
                    break;

                case DocumentPhase.FirstKeyOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object");
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
                        return NeedMore(isFinalBlock, "the top-level object");
                    }

                    if (next != (byte)'"')
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.NotJson, $"invalid JSON: expected a property name but found {Describe(next)}");
                    }

                    if (!TryReadKey(ref reader, ref state, options))
                    {
                        return NeedMore(isFinalBlock, "a property name");
                    }

                    state.Phase = DocumentPhase.Colon;
                    break;

                case DocumentPhase.Colon:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object");
                    }

                    if (next != (byte)':')
                    {
                        throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, $"invalid JSON: expected ':' but found {Describe(next)}");
                    }

                    reader.Advance(1);
                    state.Phase = DocumentPhase.Value;
                    break;

                case DocumentPhase.Value:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object");
                    }

                    if (!state.CurrentKeyIsRecords)
                    {
                        state.Phase = DocumentPhase.SkipValue;
                        break;
                    }

                    if (state.SawRecords)
                    {
                        throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, "the document has more than one \"Records\" key");
                    }

                    if (next != (byte)'[')
                    {
                        throw new CloudTrailFormatException(CloudTrailErrorKind.RecordsNotArray, $"\"Records\" is {Describe(next)}, not an array");
                    }

                    reader.Advance(1);
                    state.SawRecords = true;
                    state.Phase = DocumentPhase.FirstElementOrEnd;
                    break;

                case DocumentPhase.SkipValue:
                    if (!TrySkipValue(ref reader, options))
                    {
                        return NeedMore(isFinalBlock, "a top-level value");
                    }

                    state.Phase = DocumentPhase.KeySeparatorOrEnd;
                    break;

                case DocumentPhase.KeySeparatorOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object");
                    }

                    reader.Advance(1);
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
                            CloudTrailErrorKind.NotJson, $"invalid JSON: expected ',' or '}}' in the top-level object but found {Describe(next)}");
                    }

                    break;

                case DocumentPhase.FirstElementOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the Records array");
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
                        return NeedMore(isFinalBlock, "the Records array");
                    }

                    if (next != (byte)'{')
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.RecordsNotArray, $"element {state.RecordCount} of \"Records\" is {Describe(next)}, not an object");
                    }

                    state.ScanOffset = 0;
                    state.Depth = 0;
                    state.InString = false;
                    state.Escaped = false;
                    state.Phase = DocumentPhase.InRecord;
                    break;

                case DocumentPhase.InRecord:
                    var unread = reader.UnreadSequence;
                    // Messages are formatted only on the throwing paths: this runs once per record.
                    if (!RecordBoundaryScanner.TryFindEnd(unread, ref state, options.MaxDepth, out var length))
                    {
                        if (state.ScanOffset > options.MaxRecordBytes)
                        {
                            ThrowIfTooLarge(state.ScanOffset, options, $"record {state.RecordCount}");
                        }

                        return isFinalBlock ? NeedMore(isFinalBlock, $"record {state.RecordCount}") : false;
                    }

                    if (length > options.MaxRecordBytes)
                    {
                        ThrowIfTooLarge(length, options, $"record {state.RecordCount}");
                    }
                    record = unread.Slice(0, length);
                    reader.Advance(length);
                    state.RecordCount++;
                    state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                    return true;

                case DocumentPhase.ElementSeparatorOrEnd:
                    if (!TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the Records array");
                    }

                    reader.Advance(1);
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
                            $"invalid JSON: expected ',' or ']' after record {state.RecordCount - 1} but found {Describe(next)}");
                    }

                    break;

                case DocumentPhase.AfterRoot:
                    if (TryPeekToken(ref reader, out next))
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.TrailingData, $"unexpected data after the end of the JSON document: {Describe(next)}");
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

    private static bool NeedMore(bool isFinalBlock, string where) =>
        isFinalBlock
            ? throw new CloudTrailFormatException(CloudTrailErrorKind.TruncatedJson, $"truncated JSON: the data ends inside {where}")
            : false;

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

    private static bool TryReadKey(ref SequenceReader<byte> reader, ref CloudTrailReaderState state, RecordReaderOptions options)
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
            throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, $"invalid JSON in a property name: {ex.Message}", ex);
        }

        reader.Advance(json.BytesConsumed);
        return true;
    }

    private static bool TrySkipValue(ref SequenceReader<byte> reader, RecordReaderOptions options)
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
            throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, $"invalid JSON in a top-level value: {ex.Message}", ex);
        }

        reader.Advance(json.BytesConsumed);
        return true;
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
