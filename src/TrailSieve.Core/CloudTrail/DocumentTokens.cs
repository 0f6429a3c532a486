using System.Buffers;
using System.Text.Json;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// The document reader's token steps outside a record: white space, a top-level property name (noting whether it is
/// <c>Records</c> or a digest's key), and a top-level value skipped whole. Each takes what it can from the unread
/// input and says whether it needs more.
/// </summary>
internal static class DocumentTokens
{
    private static ReadOnlySpan<byte> WhiteSpace => " \t\r\n"u8;

    internal static bool TryPeekToken(ref SequenceReader<byte> reader, out byte next)
    {
        reader.AdvancePastAny(WhiteSpace);
        return reader.TryPeek(out next);
    }

    internal static bool TryReadKey(ref SequenceReader<byte> reader, ref CloudTrailReaderState state, RecordReaderOptions options, long offset)
    {
        // Never final: a value cut off by the end of the data is truncation, reported by the caller as such.
        var json = new Utf8JsonReader(reader.UnreadSequence, isFinalBlock: false, default);
        try
        {
            if (!json.Read())
            {
                UnusableElements.ThrowIfTooLarge(reader.Remaining, options, "a property name");
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

    internal static bool TrySkipValue(ref SequenceReader<byte> reader, RecordReaderOptions options, long offset)
    {
        var json = new Utf8JsonReader(
            reader.UnreadSequence, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = options.MaxDepth }));
        try
        {
            if (!json.Read() || !json.TrySkip())
            {
                UnusableElements.ThrowIfTooLarge(reader.Remaining, options, "a top-level value");
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
}
