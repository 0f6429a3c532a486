using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary>A <c>trailsieve backfill</c> command line, checked: what to walk, what to do, and the options that override the configuration.</summary>
internal sealed record BackfillRequest
{
    public required BackfillSettings Settings { get; init; }

    public required BackfillAction Action { get; init; }

    public string? QueueUrl { get; init; }

    public string? RulesFile { get; init; }

    public string? OutputBucket { get; init; }

    public string? OutputPrefix { get; init; }

    public OutputMode? Mode { get; init; }

    public OutputLayout? Layout { get; init; }

    /// <summary><c>--format</c>, replacing <c>Output:Format</c>; null when not given.</summary>
    public OutputFormat? Format { get; init; }

    public OutputEncryption? Encryption { get; init; }

    public string? KmsKeyId { get; init; }

    public IReadOnlyList<string> DetectionFiles { get; init; } = [];

    public string? AlertsPrefix { get; init; }

    public int? FilterParallelism { get; init; }

    /// <summary><c>--include-keys</c>, replacing <c>Sqs:IncludeKeys</c>; null when not given.</summary>
    public IReadOnlyList<string>? IncludeKeys { get; init; }

    /// <summary><c>--exclude-keys</c>, replacing <c>Sqs:ExcludeKeys</c>; null when not given.</summary>
    public IReadOnlyList<string>? ExcludeKeys { get; init; }

    /// <summary><c>--expected-bucket-owner</c>, replacing <c>Sqs:ExpectedBucketOwner</c>; null when not given.</summary>
    public string? ExpectedBucketOwner { get; init; }

    public string? Checkpoint { get; init; }

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Compressed MB/s per task for the dry-run estimate.</summary>
    public double RateMBps { get; init; } = BackfillEstimate.DefaultRateMBps;

    /// <summary>Objects per second per task for the dry-run estimate; null: <see cref="BackfillEstimate.DefaultObjectsPerSecond"/> of the configured read parallelism.</summary>
    public double? ObjectsPerSecond { get; init; }

    /// <summary>Tasks sharing the work, for the dry-run estimate.</summary>
    public int Tasks { get; init; } = 1;
}
