namespace TrailSieve.Analytics.Ask;

/// <summary>What a count is grouped by.</summary>
internal enum Dimension
{
    Principal,
    Service,
    Event,
    SourceIp,
    Region,
    Account,
    ErrorCode,
    Day,
}
