using System.Buffers;
using System.Globalization;
using System.Text;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Core.Tests.CloudTrail;

/// <summary>
/// Everything reading a document gives, written as one text so that two readings compare with one assertion: each
/// record's offset and exact bytes, each quarantined element, and the end (complete, with counts, or the error's kind
/// and message, byte offsets included).
/// </summary>
internal static class DocumentOutcome
{
    /// <summary>How the input is offered to the reader.</summary>
    public enum Offer
    {
        /// <summary>All of it at once, one segment.</summary>
        OneSegment,

        /// <summary>All of it at once, one segment per byte.</summary>
        SegmentPerByte,

        /// <summary>One byte more at a time, one segment per byte, as a pipe trickling in.</summary>
        GrowingPerByte,
    }

    /// <summary>Reads <paramref name="data"/> with the quarantining reader (or the strict one) and describes what it gave.</summary>
    public static string Read(byte[] data, Offer offer, RecordReaderOptions options, bool quarantine)
    {
        var whole = ReadOnlySequenceFactory.Create(data, segmentPerByte: offer != Offer.OneSegment);
        var text = new StringBuilder();
        var state = default(CloudTrailReaderState);
        var consumed = 0L;
        var step = offer == Offer.GrowingPerByte ? 1 : Math.Max(1, data.Length);
        try
        {
            for (long available = Math.Min(step, data.Length); ; available = Math.Min(available + step, data.Length))
            {
                var isFinal = available == data.Length;
                var buffer = whole.Slice(consumed, available - consumed);
                while (Next(ref buffer, ref state, isFinal, options, quarantine, out var record, out var quarantined))
                {
                    if (quarantined is null)
                    {
                        var offset = state.BytesConsumed - record.Length;
                        text.Append(CultureInfo.InvariantCulture, $"record @{offset}: ").Append(Convert.ToHexString(record.ToArray())).Append('\n');
                    }
                    else
                    {
                        var bytes = quarantined.Bytes is null ? "-" : Convert.ToHexString(quarantined.Bytes);
                        text.Append(CultureInfo.InvariantCulture, $"quarantined {quarantined.Index} @{quarantined.Offset}+{quarantined.Length} {quarantined.Kind} {quarantined.Reason} {bytes}\n");
                    }
                }

                consumed = whole.Slice(0, buffer.Start).Length;
                if (isFinal)
                {
                    break;
                }
            }

            text.Append(CultureInfo.InvariantCulture, $"end complete={state.IsComplete} digest={state.IsDigest} records={state.RecordCount} quarantined={state.QuarantinedCount} consumed={state.BytesConsumed}");
        }
        catch (CloudTrailFormatException ex)
        {
            text.Append(CultureInfo.InvariantCulture, $"error {ex.Kind}: {ex.Message}");
        }

        return text.ToString();
    }

    private static bool Next(
        ref ReadOnlySequence<byte> buffer,
        ref CloudTrailReaderState state,
        bool isFinal,
        RecordReaderOptions options,
        bool quarantine,
        out ReadOnlySequence<byte> record,
        out QuarantinedRecord? quarantined)
    {
        if (quarantine)
        {
            return CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinal, options, out record, out quarantined);
        }

        quarantined = null;
        return CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinal, options, out record);
    }
}
