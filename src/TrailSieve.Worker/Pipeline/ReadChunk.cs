using TrailSieve.Core.CloudTrail;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Read stage → filter stage: a numbered chunk of one object's records, an unusable record put aside in its place, or
/// (last) the object's end with how reading ended. Numbered so that the writer can restore each object's order after
/// the filter workers.
/// </summary>
internal sealed class ReadChunk
{
    private ReadChunk(TrackedObject obj, long sequence, RecordChunk? records, ReadEnd? end, QuarantinedRecord? quarantined = null)
    {
        Quarantined = quarantined;
        Object = obj;
        Sequence = sequence;
        Records = records;
        End = end;
    }

    public TrackedObject Object { get; }

    public long Sequence { get; }

    /// <summary>The records, owned by whoever holds the chunk (the filter disposes them); null on the end.</summary>
    public RecordChunk? Records { get; }

    /// <summary>How reading ended, on the object's last chunk; null otherwise.</summary>
    public ReadEnd? End { get; }

    /// <summary>An unusable record the reader put aside, to be written to the quarantine; null otherwise.</summary>
    public QuarantinedRecord? Quarantined { get; }

    public static ReadChunk Of(TrackedObject obj, long sequence, RecordChunk records) => new(obj, sequence, records, null);

    public static ReadChunk QuarantineOf(TrackedObject obj, long sequence, QuarantinedRecord quarantined) => new(obj, sequence, null, null, quarantined);

    public static ReadChunk EndOf(TrackedObject obj, long sequence, ReadEnd end) => new(obj, sequence, null, end);
}
