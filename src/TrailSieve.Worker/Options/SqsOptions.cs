using System.ComponentModel.DataAnnotations;

namespace TrailSieve.Worker.Options;

/// <summary>Receiving from SQS and acknowledging. Section <c>Sqs</c>.</summary>
public sealed class SqsOptions
{
    public const string SectionName = "Sqs";

    /// <summary>URL of the queue S3 notifications arrive on. Required (<c>--queue-url</c>).</summary>
    [Required]
    public string QueueUrl { get; set; } = string.Empty;

    /// <summary>Concurrent long-poll receivers. Default 2; 1 to 20.</summary>
    [Range(1, 20)]
    public int Receivers { get; set; } = 2;

    /// <summary>Long-poll wait of one receive. Default 20 s; 0 to 20 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:20")]
    public TimeSpan WaitTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Messages received but not yet acknowledged, at most: the prefetch bound. In batch mode a message stays in flight
    /// until its batch is committed (it costs a few hundred bytes then); when all room is taken, open batches are
    /// committed early so receiving goes on. Default 1,000; 1 to 100,000 (SQS allows 120,000 in flight).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxInFlightMessages { get; set; } = 1000;

    /// <summary>Visibility timeout asked for on receive and on each extension. Default 5 min; 3 s to 12 h.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "12:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the heartbeat looks for messages to extend. Default 30 s; must be below <see cref="ExtensionThreshold"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A message whose visibility ends within this is extended. Default 90 s; must be below <see cref="VisibilityTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "12:00:00")]
    public TimeSpan ExtensionThreshold { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Deletes wait at most this long to fill a batch of 10. Default 200 ms; 0 to 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan DeleteBatchDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// On shutdown (SIGTERM), how long to finish in-flight objects, flush and delete before giving up; what is not
    /// done comes back from the queue. Default 25 s, below ECS's default 30 s stopTimeout; 1 s to 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>When set, stop (exit 0) once the queue has been empty this long and everything is acknowledged (<c>--until-idle</c>).</summary>
    public TimeSpan? UntilIdle { get; set; }

    /// <summary>
    /// How long a message whose object failed in a way that may pass (S3 5xx or throttling after the retries, a
    /// timeout, an output write) stays invisible before it is retried, by receive count: the n-th receive waits the
    /// n-th delay, later receives the last one. Comma-separated durations. A failure that cannot pass (corrupt gzip,
    /// not CloudTrail, access denied, object gone) is always released at once. Default <c>0s,10s,1m,5m</c>.
    /// </summary>
    public string RetryBackoff { get; set; } = "0s,10s,1m,5m";

    /// <summary>The parsed <see cref="RetryBackoff"/>; only valid once the options validated.</summary>
    internal IReadOnlyList<TimeSpan> RetryBackoffDelays() =>
        Sqs.ReleasePolicy.TryParse(RetryBackoff, out var delays, out _) ? delays : [TimeSpan.Zero];

    /// <summary>
    /// The buckets notifications may name (<c>Sqs:SourceBuckets:0</c>, ...). A notification for any other bucket fails
    /// its object without a download (<see cref="S3.SourceRejectedException"/>), so its message goes to the DLQ. Default
    /// empty: any bucket.
    /// </summary>
    public IList<string> SourceBuckets { get; } = [];

    /// <summary>
    /// The account id expected to own the source and output buckets, sent as <c>x-amz-expected-bucket-owner</c> on every
    /// S3 request (GET, PUT, multipart, list); S3 refuses the request with 403 when another account owns the bucket.
    /// Default unset: not sent. 12 digits.
    /// </summary>
    public string? ExpectedBucketOwner { get; set; }

    /// <summary>
    /// Keys to process, at least one of which must match (<c>Sqs:IncludeKeys:0</c>, ...): a key prefix, or a regular
    /// expression written <c>re:pattern</c> (.NET syntax, non-backtracking, matched anywhere in the key unless anchored).
    /// Default empty: every key. A key that matches none is skipped before any download.
    /// </summary>
    public IList<string> IncludeKeys { get; } = [];

    /// <summary>
    /// Keys to skip before any download, e.g. <c>AWSLogs/o-123/123456789012/CloudTrail-Insight/</c> or
    /// <c>re:/CloudTrail/ap-[a-z]+-\d/</c>; same syntax as <see cref="IncludeKeys"/>. Exclusion wins over inclusion.
    /// Default empty.
    /// </summary>
    public IList<string> ExcludeKeys { get; } = [];

    /// <summary>The cross-field rules DataAnnotations cannot express.</summary>
    public IEnumerable<string> ValidateRelations()
    {
        foreach (var failure in S3.SourceGuard.Validate(this))
        {
            yield return failure;
        }

        if (HeartbeatInterval >= ExtensionThreshold)
        {
            yield return $"Sqs:HeartbeatInterval: {HeartbeatInterval} must be less than Sqs:ExtensionThreshold ({ExtensionThreshold})";
        }

        if (ExtensionThreshold >= VisibilityTimeout)
        {
            yield return $"Sqs:ExtensionThreshold: {ExtensionThreshold} must be less than Sqs:VisibilityTimeout ({VisibilityTimeout})";
        }

        if (!Sqs.ReleasePolicy.TryParse(RetryBackoff, out _, out var backoffError))
        {
            yield return $"Sqs:RetryBackoff: '{RetryBackoff}' {backoffError}";
        }

        if (UntilIdle is { } idle && idle <= TimeSpan.Zero)
        {
            yield return "Sqs:UntilIdle: must be positive";
        }

        if (!string.IsNullOrWhiteSpace(QueueUrl) && !Uri.TryCreate(QueueUrl, UriKind.Absolute, out _))
        {
            yield return $"Sqs:QueueUrl: '{QueueUrl}' is not an absolute URL; accepted: https://sqs.<region>.amazonaws.com/<account>/<queue>";
        }
    }
}
