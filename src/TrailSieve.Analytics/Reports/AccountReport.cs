namespace TrailSieve.Analytics.Reports;

/// <summary>One account's month: the JSON report, and what the HTML page shows.</summary>
public sealed record AccountReport
{
    public required string Account { get; init; }

    public required string Month { get; init; }

    public long TotalEvents { get; init; }

    public long DistinctEventNames { get; init; }

    public long DistinctPrincipals { get; init; }

    public long Errors { get; init; }

    public double ErrorRate => TotalEvents == 0 ? 0 : (double)Errors / TotalEvents;

    public long ReadEvents { get; init; }

    public long WriteEvents { get; init; }

    public long RootEvents { get; init; }

    public long ConsoleLogins { get; init; }

    public long ConsoleLoginsWithMfa { get; init; }

    public long ConsoleLoginsWithoutMfa { get; init; }

    public long FailedConsoleLogins { get; init; }

    /// <summary>Every high-risk action (an enabled detection of the high-risk pack), with its count (zeros included).</summary>
    public required IReadOnlyList<NamedCount> HighRiskActions { get; init; }

    /// <summary>Findings per severity; null when there was no findings prefix to read.</summary>
    public IReadOnlyList<NamedCount>? FindingsBySeverity { get; init; }

    public required IReadOnlyList<NamedCount> TopEventNames { get; init; }

    public required IReadOnlyList<NamedCount> TopPrincipals { get; init; }

    public required IReadOnlyList<NamedCount> TopSourceIps { get; init; }

    /// <summary>Every day of the month (yyyy-MM-dd), zeros included.</summary>
    public required IReadOnlyList<NamedCount> DailyVolume { get; init; }
}
