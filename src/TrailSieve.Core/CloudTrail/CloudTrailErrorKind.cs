namespace TrailSieve.Core.CloudTrail;

/// <summary>Why a CloudTrail file could not be read. The names are the <c>ErrorType</c> metric dimension.</summary>
public enum CloudTrailErrorKind
{
    /// <summary>Empty object.</summary>
    Empty,

    /// <summary>The gzip stream is corrupt (bad header, bad deflate data, CRC or length mismatch).</summary>
    CorruptGzip,

    /// <summary>The gzip stream ends before its last member is complete.</summary>
    TruncatedGzip,

    /// <summary>The content is not a JSON object.</summary>
    NotJson,

    /// <summary>The JSON document has no top-level <c>Records</c> key.</summary>
    NoRecords,

    /// <summary><c>Records</c> is not an array, or one of its elements is not an object.</summary>
    RecordsNotArray,

    /// <summary>The JSON ends before the document is complete.</summary>
    TruncatedJson,

    /// <summary>Something other than white space follows the document.</summary>
    TrailingData,

    /// <summary>A record (or a skipped value) is larger than the configured maximum.</summary>
    RecordTooLarge,

    /// <summary>A record nests deeper than the configured maximum.</summary>
    TooDeep,

    /// <summary>A record is not valid JSON.</summary>
    InvalidRecord,
}
