namespace TrailSieve.Worker.Pipeline;

/// <summary>What became of one input object.</summary>
internal sealed record ObjectOutcome(
    ObjectWork Work,
    ObjectStatus Status,
    long Records,
    long Kept,
    long Dropped,
    long SourceBytes,
    long DecodedBytes,
    TimeSpan Elapsed,
    string? ErrorType = null,
    string? Error = null);
