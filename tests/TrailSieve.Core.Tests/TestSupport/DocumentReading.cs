using System.Buffers;
using System.Text;
using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>Drives <see cref="CloudTrailDocumentReader"/> the way a pipe does: the buffer grows a segment at a time.</summary>
public static class DocumentReading
{
    public static IReadOnlyList<string> ReadAll(string json, bool segmentPerByte, RecordReaderOptions? options = null) =>
        ReadAll(Encoding.UTF8.GetBytes(json), segmentPerByte, options, out _);

    public static IReadOnlyList<string> ReadAll(byte[] data, bool segmentPerByte, RecordReaderOptions? options, out CloudTrailReaderState state)
    {
        options ??= RecordReaderOptions.Default;
        var whole = ReadOnlySequenceFactory.Create(data, segmentPerByte);
        var records = new List<string>();
        state = default;
        var consumed = 0L;
        // Offer the input in growing prefixes (per byte when segmentPerByte, else all at once), as a pipe would.
        var step = segmentPerByte ? 1 : data.Length;
        for (long available = Math.Min(step, data.Length); ; available = Math.Min(available + step, data.Length))
        {
            var isFinal = available == data.Length;
            var buffer = whole.Slice(consumed, available - consumed);
            while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinal, options, out var record))
            {
                records.Add(Encoding.UTF8.GetString(record.ToArray()));
            }

            consumed = whole.Slice(0, buffer.Start).Length;
            if (isFinal)
            {
                break;
            }
        }

        return records;
    }
}
