namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// What became of one source object, final: written (every kept record and finding in a committed output), skipped,
/// or failed. The write stage sends exactly one per object on the outcomes channel. <c>Deduplicated</c> counts kept
/// records not written because their batch already held the same record (a second delivery of it).
/// </summary>
internal sealed record ObjectOutcome(
    SourceObject Source,
    ObjectStatus Status,
    long Records,
    long Kept,
    long Dropped,
    long SourceBytes,
    long DecodedBytes,
    TimeSpan Elapsed,
    string? ErrorType = null,
    string? Error = null,
    long Deduplicated = 0);
