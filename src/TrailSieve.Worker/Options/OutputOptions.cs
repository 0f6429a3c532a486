using System.ComponentModel.DataAnnotations;

namespace TrailSieve.Worker.Options;

/// <summary>How and where filtered records are written. Section <c>Output</c>.</summary>
public sealed class OutputOptions
{
    public const string SectionName = "Output";

    /// <summary>The default batch key template: CloudTrail's own layout, so existing tooling finds the files.</summary>
    public const string DefaultKeyTemplate =
        "{prefix}AWSLogs/{account}/CloudTrail/{region}/{yyyy}/{MM}/{dd}/{account}_CloudTrail_{region}_{yyyyMMddTHHmmZ}_{id}.json.gz";

    /// <summary>mirror (one output per input, same key) or batch (grouped, flushed by size/age). Default batch for the service, mirror for <c>filter</c>.</summary>
    public OutputMode Mode { get; set; } = OutputMode.Batch;

    /// <summary>Prefix put in front of every output key (batch: the template's <c>{prefix}</c>; mirror: before the input key). Default empty.</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Batch mode key template. Placeholders: {prefix} {account} {region} {yyyy} {MM} {dd} {yyyyMMddTHHmmZ} {id}.</summary>
    [Required]
    public string KeyTemplate { get; set; } = DefaultKeyTemplate;

    /// <summary>Batch mode: flush a partition when its uncompressed records reach this size. Default 64 MiB; 1 KiB to 4 GiB.</summary>
    [Range(1024L, 4L * 1024 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Batch mode: flush a partition this long after its first record. Default 60 s; 1 s to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Batch mode: the most records each open batch remembers by identity to drop a record delivered twice (same
    /// eventID and same bytes); about 100 bytes each, so the default 100,000 bounds a batch's window at about 10 MB (9.8 MB measured).
    /// Past it, later records are written unchecked and the batch counted in DedupWindowsFull. 0 turns it off.
    /// Default 100,000; 0 to 10,000,000.
    /// </summary>
    [Range(0, 10_000_000)]
    public int DedupWindow { get; set; } = 100_000;

    /// <summary>Output bucket (service and backfill; <c>--output-bucket</c>, or <c>CLOUDTRAIL_OUTPUT_BUCKET_NAME</c>).</summary>
    public string Bucket { get; set; } = string.Empty;

    /// <summary>Server-side encryption of output objects: None, S3 (SSE-S3, AES256) or Kms (SSE-KMS). Default S3.</summary>
    public OutputEncryption Encryption { get; set; } = OutputEncryption.S3;

    /// <summary>KMS key id or ARN for <see cref="OutputEncryption.Kms"/>; empty means the account's aws/s3 key.</summary>
    public string KmsKeyId { get; set; } = string.Empty;

    /// <summary>
    /// With <see cref="OutputEncryption.Kms"/>, ask for an S3 Bucket Key (<c>x-amz-server-side-encryption-bucket-key-enabled</c>),
    /// which cuts the KMS requests (and their cost and throttling) of many small objects. Default false: the bucket's setting.
    /// </summary>
    public bool BucketKey { get; set; }

    /// <summary>Objects larger than this go through multipart upload in parts of this size. Default 16 MiB; 5 MiB to 1 GiB.</summary>
    [Range(5 * 1024 * 1024, 1024 * 1024 * 1024)]
    public int PartBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Batch mode: every kept record in the output exactly once, whatever crashes and redeliveries happen, through a
    /// delivery ledger in the output bucket (one marker per source object under <c>{Prefix}_ledger/</c>, written with a
    /// conditional create before the object's records are appended; see docs/design/acknowledgement.md). Costs one
    /// PutObject per object written (plus a GetObject and a HeadObject per batch on a redelivery). Applies to the
    /// service and backfill; mirror mode needs none (a retry overwrites the same key). Default true.
    /// </summary>
    public bool ExactlyOnce { get; set; } = true;

    /// <summary>
    /// With <see cref="ExactlyOnce"/>: how long a claim on an object whose batch is not durable holds off every other
    /// worker; a batch is committed only within half of it after its first claim, so it must exceed twice
    /// <see cref="MaxAge"/> (checked at start) and should exceed twice (<see cref="MaxAge"/> + <c>Sqs:DrainTimeout</c>).
    /// A held object's message is released until the claim's lease ends (not by <c>Sqs:RetryBackoff</c>), so a crash
    /// costs it one or two receives. Default
    /// (unset) the larger of 5 min and twice <see cref="MaxAge"/> plus 1 min; 10 s to 6 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "06:00:00")]
    public TimeSpan? ClaimLease { get; set; }

    /// <summary>The lease in force: <see cref="ClaimLease"/>, or its default for <see cref="MaxAge"/>.</summary>
    public TimeSpan EffectiveClaimLease => ClaimLease ?? TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(5).Ticks, (2 * MaxAge + TimeSpan.FromMinutes(1)).Ticks));

    /// <summary>
    /// Key prefix of the quarantine in the output bucket (or folder): unusable records go to
    /// <c>{QuarantinePrefix}yyyy/MM/dd/quarantine-{id}.jsonl.gz</c> by the UTC day they are written. Default <c>quarantine/</c>.
    /// </summary>
    [Required]
    [RegularExpression("^[^/].*$", ErrorMessage = "Output:QuarantinePrefix must not be empty or start with '/'")]
    public string QuarantinePrefix { get; set; } = "quarantine/";

    /// <summary>Write an empty <c>{"Records":[]}</c> object when nothing of an input is kept (mirror mode). Default false.</summary>
    public bool WriteEmpty { get; set; }
}
