namespace TrailSieve.Analytics.Reports;

/// <summary>A name and how often it occurred.</summary>
public sealed record NamedCount(string Name, long Count);
