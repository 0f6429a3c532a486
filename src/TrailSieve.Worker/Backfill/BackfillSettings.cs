using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Backfill;

/// <summary>What to backfill: where the trail is, which part of it, and where the work goes.</summary>
internal sealed record BackfillSettings
{
    /// <summary>The CloudTrail bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>The trail's prefix: <c>AWSLogs/</c> by default; may go down to an org, an account or a region.</summary>
    public string Prefix { get; init; } = "AWSLogs/";

    /// <summary>First day (inclusive, UTC); null: from the earliest day found.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Day after the last (exclusive, UTC); null: up to the latest day found.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Only these accounts; empty: every account found.</summary>
    public IReadOnlySet<string> Accounts { get; init; } = new HashSet<string>();

    /// <summary>Only these regions; empty: every region found.</summary>
    public IReadOnlySet<string> Regions { get; init; } = new HashSet<string>();

    /// <summary>Listing requests in flight at once (discovery and per-partition listings).</summary>
    public int ListParallelism { get; init; } = 8;

    /// <summary>
    /// The key filter (<c>Sqs:IncludeKeys</c>/<c>Sqs:ExcludeKeys</c>, or <c>--include-keys</c>/<c>--exclude-keys</c>):
    /// a listed object it skips is counted (<see cref="BackfillProgress.ObjectsExcluded"/>) and never handed on, so never
    /// downloaded. Also the expected bucket owner its adapters send. Default: every key.
    /// </summary>
    public SourceGuard Keys { get; init; } = SourceGuard.None;

    /// <summary>The filters in words, for messages: <c>accounts 111122223333; all regions; days 2026-01-01 to 2026-01-31</c>, then the key filter when there is one.</summary>
    public string DescribeFilters()
    {
        var accounts = Accounts.Count == 0 ? "all accounts" : "accounts " + string.Join(',', Accounts.Order(StringComparer.Ordinal));
        var regions = Regions.Count == 0 ? "all regions" : "regions " + string.Join(',', Regions.Order(StringComparer.Ordinal));
        var days = (From, To) switch
        {
            (null, null) => "all days",
            ({ } from, null) => $"days from {from:yyyy-MM-dd}",
            (null, { } to) => $"days before {to:yyyy-MM-dd}",
            ({ } from, { } to) => $"days {from:yyyy-MM-dd} to {to.AddDays(-1):yyyy-MM-dd}",
        };
        return Keys.DescribeKeys() is { } keys ? $"{accounts}; {regions}; {days}; {keys}" : $"{accounts}; {regions}; {days}";
    }
}

/// <summary>What backfill does with each listed object.</summary>
internal enum BackfillAction
{
    /// <summary>Filter it through the pipeline into the output bucket.</summary>
    Process,

    /// <summary>Send an S3-event-shaped message for it to a queue, for the autoscaled service to process.</summary>
    Enqueue,

    /// <summary>Count it only.</summary>
    DryRun,
}

/// <summary>Where processed output goes (process mode).</summary>
internal sealed record BackfillOutput(OutputOptions Output, PipelineOptions Pipeline);
