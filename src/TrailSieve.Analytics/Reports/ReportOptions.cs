using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Reports;

/// <summary>What <see cref="ReportRunner"/> reports, and within which limits.</summary>
public sealed record ReportOptions
{
    /// <summary>Default <see cref="SpoolLimitBytes"/>: 10 GB, half of Fargate's default 20 GiB of task storage.</summary>
    public const long DefaultSpoolLimitBytes = 10L * 1000 * 1000 * 1000;

    public required ReportMonth Month { get; init; }

    /// <summary>Accounts to report (12-digit ids), each even without events; empty for every account with events.</summary>
    public IReadOnlySet<string> Accounts { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Prefixes under the data store that are not data (the findings, the reports), each ending with '/'.</summary>
    public IReadOnlyList<string> ExcludedPrefixes { get; init; } = [];

    /// <summary>Local folder for downloads, engine spill files and pages being written; removed afterwards.</summary>
    public string SpoolDirectory { get; init; } = DefaultSpoolDirectory;

    public static string DefaultSpoolDirectory => Path.Combine(Path.GetTempPath(), "trailsieve-report");

    /// <summary>Most bytes downloaded at once: the month's findings, the objects outside a partition, and one partition.</summary>
    public long SpoolLimitBytes { get; init; } = DefaultSpoolLimitBytes;

    public EngineOptions Engine { get; init; } = new();

    /// <summary>When the reports say they were made.</summary>
    public DateTime GeneratedUtc { get; init; }

    /// <summary>The high-risk actions counted: the shipped pack unless a test gives another.</summary>
    internal HighRiskPack HighRisk { get; init; } = HighRiskPack.Shipped;
}
