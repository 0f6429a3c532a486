namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// What became of one source object, final: written (every kept record and finding in a committed output), skipped,
/// or failed. The write stage sends exactly one per object on the outcomes channel. A failure says whether trying
/// again can help (<see cref="Retryable"/>, decided by <see cref="ObjectFailures.IsRetryable"/>): the SQS settler
/// releases a message at once for one that cannot, and after a backoff for one that can. <c>Quarantined</c> counts
/// unusable records put aside, <c>Deduplicated</c> kept records not written because their batch already held the
/// same record (a second delivery of it).
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
    bool Retryable = false,
    long Quarantined = 0,
    long Deduplicated = 0,
    TimeSpan RetryAfter = default);
