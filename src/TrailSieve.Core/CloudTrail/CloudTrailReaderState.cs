namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// What <see cref="CloudTrailDocumentReader"/> carries between calls, like <see cref="System.Text.Json.JsonReaderState"/>:
/// where it is in the document and how far into an unfinished record it has already scanned.
/// </summary>
public struct CloudTrailReaderState
{
    internal DocumentPhase Phase;
    internal bool CurrentKeyIsRecords;
    internal bool SawDigestKey;

    // Scan of the current record (or skipped value), relative to its first byte, which stays unconsumed.
    internal long ScanOffset;
    internal int Depth;
    internal bool InString;
    internal bool Escaped;

    // The current element of Records: where it starts, whether it is an object, whether it passed a limit (then it is
    // streamed past, SkippedBytes of it consumed so far, and quarantined without its bytes).
    internal long ElementOffset;
    internal byte ElementStart;
    internal bool TooDeep;
    internal long SkippedBytes;

    /// <summary>Records returned so far.</summary>
    public long RecordCount { get; internal set; }

    /// <summary>Elements of <c>Records</c> put aside as unusable so far (see <see cref="QuarantinedRecord"/>).</summary>
    public long QuarantinedCount { get; internal set; }

    /// <summary>Index in <c>Records</c> of the next element: records and quarantined elements both count.</summary>
    public readonly long ElementIndex => RecordCount + QuarantinedCount;

    /// <summary>Bytes of the document consumed so far (records included).</summary>
    public long BytesConsumed { get; internal set; }

    /// <summary>The document has a <c>Records</c> array.</summary>
    public bool SawRecords { get; internal set; }

    /// <summary>The whole document has been read, and only white space followed it.</summary>
    public readonly bool IsComplete => Phase == DocumentPhase.Done;

    /// <summary>The document had no <c>Records</c> but a CloudTrail digest's keys: a digest file, to be skipped.</summary>
    public readonly bool IsDigest => Phase == DocumentPhase.Done && !SawRecords && SawDigestKey;
}
