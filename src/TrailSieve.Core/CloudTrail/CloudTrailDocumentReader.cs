using System.Buffers;

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
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
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
                            CloudTrailErrorKind.NotJson, $"not a CloudTrail JSON object: the content starts with {UnusableElements.Describe(next)} (at byte {At(state, reader)})");
                    }

                    reader.Advance(1);
                    state.Phase = DocumentPhase.FirstKeyOrEnd;
                    break;

                case DocumentPhase.FirstKeyOrEnd:
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
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
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object", At(state, reader));
                    }

                    if (next != (byte)'"')
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.NotJson, $"invalid JSON: expected a property name but found {UnusableElements.Describe(next)} at byte {At(state, reader)}");
                    }

                    if (!DocumentTokens.TryReadKey(ref reader, ref state, options, At(state, reader)))
                    {
                        return NeedMore(isFinalBlock, "a property name", At(state, reader));
                    }

                    state.Phase = DocumentPhase.Colon;
                    break;

                case DocumentPhase.Colon:
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the top-level object", At(state, reader));
                    }

                    if (next != (byte)':')
                    {
                        throw new CloudTrailFormatException(CloudTrailErrorKind.NotJson, $"invalid JSON: expected ':' but found {UnusableElements.Describe(next)} at byte {At(state, reader)}");
                    }

                    reader.Advance(1);
                    state.Phase = DocumentPhase.Value;
                    break;

                case DocumentPhase.Value:
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
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
                        throw new CloudTrailFormatException(CloudTrailErrorKind.RecordsNotArray, $"\"Records\" is {UnusableElements.Describe(next)}, not an array (at byte {At(state, reader)})");
                    }

                    reader.Advance(1);
                    state.SawRecords = true;
                    state.Phase = DocumentPhase.FirstElementOrEnd;
                    break;

                case DocumentPhase.SkipValue:
                    if (!DocumentTokens.TrySkipValue(ref reader, options, At(state, reader)))
                    {
                        return NeedMore(isFinalBlock, "a top-level value", At(state, reader));
                    }

                    state.Phase = DocumentPhase.KeySeparatorOrEnd;
                    break;

                case DocumentPhase.KeySeparatorOrEnd:
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
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
                            $"invalid JSON: expected ',' or '}}' in the top-level object but found {UnusableElements.Describe(next)} at byte {At(state, reader)}");
                    }

                    reader.Advance(1);

                    break;

                case DocumentPhase.FirstElementOrEnd:
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
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
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
                    {
                        return NeedMore(isFinalBlock, "the Records array", At(state, reader));
                    }

                    if (next != (byte)'{' && !quarantine)
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.RecordsNotArray,
                            $"element {state.ElementIndex} of \"Records\" is {UnusableElements.Describe(next)}, not an object (at byte {At(state, reader)})");
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
                    if (!UnusableElements.TryReadLiteral(ref reader, ref state, options, out quarantined))
                    {
                        return NeedMore(isFinalBlock, $"record {state.ElementIndex}", state.ElementOffset);
                    }

                    state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                    return true;

                case DocumentPhase.InRecord:
                    var unread = reader.UnreadSequence;
                    // Messages are formatted only on the throwing and quarantining paths: this runs once per record.
                    if (!RecordBoundaryScanner.TryFindEnd(unread, ref state, options, out var length))
                    {
                        if (state.TooDeep || state.ScanOffset > options.MaxRecordBytes)
                        {
                            UnusableElements.ThrowIfStrict(quarantine, state, options);

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
                        UnusableElements.ThrowIfStrict(quarantine, state, options);
                        reader.Advance(length);
                        quarantined = UnusableElements.OverLimit(ref state, length, options);
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
                    quarantined = UnusableElements.NotAnObject(ref state, unread.Slice(0, length), options);
                    reader.Advance(length);
                    state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                    return true;

                case DocumentPhase.SkipElement:
                    var rest = reader.UnreadSequence;
                    if (!RecordBoundaryScanner.TryFindEnd(rest, ref state, options, out var tail))
                    {
                        reader.Advance(rest.Length);
                        state.SkippedBytes += rest.Length;
                        state.ScanOffset = 0;
                        return NeedMore(isFinalBlock, $"record {state.ElementIndex}", state.ElementOffset);
                    }

                    reader.Advance(tail);
                    quarantined = UnusableElements.OverLimit(ref state, state.SkippedBytes + tail, options);
                    state.Phase = DocumentPhase.ElementSeparatorOrEnd;
                    return true;

                case DocumentPhase.ElementSeparatorOrEnd:
                    if (!DocumentTokens.TryPeekToken(ref reader, out next))
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
                            $"invalid JSON: expected ',' or ']' after record {state.ElementIndex - 1} but found {UnusableElements.Describe(next)} at byte {At(state, reader)}");
                    }

                    reader.Advance(1);

                    break;

                case DocumentPhase.AfterRoot:
                    if (DocumentTokens.TryPeekToken(ref reader, out next))
                    {
                        throw new CloudTrailFormatException(
                            CloudTrailErrorKind.TrailingData, $"unexpected data after the end of the JSON document: {UnusableElements.Describe(next)} at byte {At(state, reader)}");
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

    private static bool IsPrefixOfByteOrderMark(ReadOnlySequence<byte> unread)
    {
        Span<byte> head = stackalloc byte[3];
        var length = (int)Math.Min(unread.Length, 3);
        unread.Slice(0, length).CopyTo(head);
        return ByteOrderMark.StartsWith(head[..length]);
    }
}
