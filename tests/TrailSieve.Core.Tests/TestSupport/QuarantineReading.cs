using System.Buffers;
using System.Text;
using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Core.Tests.TestSupport;

/// <summary>What reading a document with a quarantine gave: records, the elements put aside, and how much was buffered.</summary>
public sealed record QuarantineReading(IReadOnlyList<string> Records, IReadOnlyList<QuarantinedRecord> Quarantined, long MaxBuffered, CloudTrailReaderState State)
{
    /// <summary>
    /// Drives the quarantining <see cref="CloudTrailDocumentReader.TryReadRecord(ref System.Buffers.ReadOnlySequence{byte}, ref CloudTrailReaderState, bool, RecordReaderOptions, out System.Buffers.ReadOnlySequence{byte}, out QuarantinedRecord?)"/>
    /// as a pipe does: the input offered in growing prefixes (one byte more each time, one segment per byte, when
    /// <paramref name="segmentPerByte"/>; else all at once); <see cref="MaxBuffered"/> is the most ever left unconsumed.
    /// </summary>
    public static QuarantineReading Read(string json, bool segmentPerByte, RecordReaderOptions? options = null)
    {
        options ??= RecordReaderOptions.Default;
        var data = Encoding.UTF8.GetBytes(json);
        var whole = ReadOnlySequenceFactory.Create(data, segmentPerByte);
        var records = new List<string>();
        var quarantined = new List<QuarantinedRecord>();
        var state = default(CloudTrailReaderState);
        var consumed = 0L;
        var maxBuffered = 0L;
        var step = segmentPerByte ? 1 : data.Length;
        for (long available = Math.Min(step, data.Length); ; available = Math.Min(available + step, data.Length))
        {
            var isFinal = available == data.Length;
            var buffer = whole.Slice(consumed, available - consumed);
            while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, isFinal, options, out var record, out var q))
            {
                if (q is null)
                {
                    records.Add(Encoding.UTF8.GetString(record.ToArray()));
                }
                else
                {
                    quarantined.Add(q);
                }
            }

            consumed = whole.Slice(0, buffer.Start).Length;
            maxBuffered = Math.Max(maxBuffered, available - consumed);
            if (isFinal)
            {
                break;
            }
        }

        return new QuarantineReading(records, quarantined, maxBuffered, state);
    }
}
