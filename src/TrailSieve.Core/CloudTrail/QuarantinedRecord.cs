namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// An element of <c>Records</c> that is well-formed but unusable, found by <see cref="CloudTrailDocumentReader"/>: where
/// it is and why it was put aside. Its bytes are kept only when it is within both limits (a value that is not an
/// object); an element over a limit was streamed past without being buffered, so only its place and length are known.
/// </summary>
/// <param name="Index">Index of the element in <c>Records</c> (records and quarantined elements both count).</param>
/// <param name="Offset">Byte offset of the element's first byte in the decoded (gunzipped) document.</param>
/// <param name="Length">Length of the element in bytes.</param>
/// <param name="Kind">Why it was put aside.</param>
/// <param name="Reason">The reason in words, without the element's contents.</param>
/// <param name="Bytes">The element's exact bytes (valid JSON), or null when it was over a limit and not kept.</param>
public sealed record QuarantinedRecord(long Index, long Offset, long Length, QuarantineKind Kind, string Reason, byte[]? Bytes)
{
    /// <summary>The error an object fails with where a record cannot be put aside (readers without a quarantine).</summary>
    public CloudTrailFormatException ToException() => new(
        Kind switch
        {
            QuarantineKind.NotAnObject => CloudTrailErrorKind.RecordsNotArray,
            QuarantineKind.RecordTooLarge => CloudTrailErrorKind.RecordTooLarge,
            _ => CloudTrailErrorKind.TooDeep,
        },
        Reason);
}
