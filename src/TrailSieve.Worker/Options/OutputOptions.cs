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

    /// <summary>
    /// What kept records are written as: cloudtrail (gzip <c>{"Records":[...]}</c>, every record's bytes) or ocsf (OCSF
    /// 1.1.0 zstd Parquet in Security Lake's layout, <c>{Prefix}ext/{OcsfSourceName}-{class_uid}/region=/accountId=/eventDay=/</c>;
    /// batch mode only, and <see cref="KeyTemplate"/> does not apply). Default cloudtrail (<c>--format</c>).
    /// </summary>
    public OutputFormat Format { get; set; } = OutputFormat.CloudTrail;

    /// <summary>
    /// OCSF output: the Security Lake custom source name each class is delivered as, followed by <c>-{class_uid}</c>
    /// (e.g. <c>trailsieve-6003</c>, since Security Lake wants one source per class and a source name of at most 20
    /// characters). Default <c>trailsieve</c>; 1 to 15 letters, digits, '-' or '_'.
    /// </summary>
    [Required(ErrorMessage = "Output:OcsfSourceName must not be empty")]
    [RegularExpression("^[A-Za-z0-9_-]{1,15}$", ErrorMessage = "Output:OcsfSourceName must be 1 to 15 letters, digits, '-' or '_' (the class uid is appended and Security Lake's source names are at most 20 characters)")]
    public string OcsfSourceName { get; set; } = "trailsieve";

    /// <summary>
    /// OCSF output: the custom source's version folder (<c>ext/{source}/{version}/region=...</c>, for sources created
    /// with a source version); empty for none. Default empty.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_-]{0,15}$", ErrorMessage = "Output:OcsfSourceVersion must be up to 15 letters, digits, '-' or '_'")]
    public string OcsfSourceVersion { get; set; } = string.Empty;

    /// <summary>
    /// OCSF output: where each event keeps its CloudTrail record: raw_data (its exact text in <c>raw_data</c>),
    /// unmapped (its top-level fields no attribute holds, as JSON text, in the <c>unmapped</c> map) or none.
    /// Default raw_data: nothing is lost.
    /// </summary>
    public Core.Ocsf.OcsfRawData OcsfRawData { get; set; } = Core.Ocsf.OcsfRawData.RawData;

    /// <summary>The cross-field rules of the output format, as <c>Section:Key: reason</c> lines.</summary>
    public IEnumerable<string> ValidateFormat()
    {
        if (Format == OutputFormat.Ocsf && Mode != OutputMode.Batch)
        {
            yield return "Output:Format: ocsf needs Output:Mode batch (--mode batch): Security Lake's layout groups events by region, account, day and class, not by input object";
        }
    }

    /// <summary>Write an empty <c>{"Records":[]}</c> object when nothing of an input is kept (mirror mode). Default false.</summary>
    public bool WriteEmpty { get; set; }
}
