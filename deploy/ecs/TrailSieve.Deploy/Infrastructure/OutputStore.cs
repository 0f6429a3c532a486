using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Constructs;
using TrailSieve.Deploy.Settings;

namespace TrailSieve.Deploy.Infrastructure;

/// <summary>
/// The output bucket: filtered records under the output prefix (Hive layout), findings under <c>alerts/</c>, monthly
/// reports under <c>reports/</c> and Athena results under <c>athena-results/</c>. Private, TLS only, encrypted.
/// </summary>
internal sealed class OutputStore : Construct
{
    /// <summary>The worker's ledger folder under the output prefix (TrailSieve.Worker's <c>DeliveryLedger.Folder</c>).</summary>
    internal const string LedgerFolder = "_ledger/";

    /// <summary>How long a ledger marker is kept: past SQS's longest retention (14 days), with room for a late backfill rerun.</summary>
    internal const int LedgerDays = 30;

    public OutputStore(Construct scope, string id, DeploySettings settings)
        : base(scope, id)
    {
        var key = settings.OutputKmsKeyArn is { } arn ? Key.FromKeyArn(this, "OutputKey", arn) : null;
        var rules = new List<ILifecycleRule>
        {
            // Multipart uploads abandoned by a killed task would otherwise be billed forever.
            new LifecycleRule { Id = "abort-incomplete-uploads", AbortIncompleteMultipartUploadAfter = Duration.Days(7) },
            new LifecycleRule { Id = "expire-athena-results", Prefix = DeploySettings.AthenaResultsPrefix, Expiration = Duration.Days(30) },

            // The delivery ledger's markers (Output:ExactlyOnce, the worker's {Output:Prefix}_ledger/) matter only while
            // their object can come again: SQS keeps a message 14 days at most.
            new LifecycleRule { Id = "expire-ledger-markers", Prefix = settings.OutputPrefix + LedgerFolder, Expiration = Duration.Days(LedgerDays) },
        };
        if (settings.OutputVersioned)
        {
            // A backfill rewrites its checkpoint every 30 s; on a versioned bucket each save would be kept forever.
            rules.Add(new LifecycleRule { Id = "checkpoint-versions", Prefix = DeploySettings.CheckpointsPrefix, NoncurrentVersionExpiration = Duration.Days(1) });
        }

        if (settings.OutputExpireDays is not null || settings.OutputTransitionDays is not null)
        {
            rules.Add(new LifecycleRule
            {
                Id = "records",
                Prefix = settings.OutputPrefix.Length == 0 ? null : settings.OutputPrefix,
                Expiration = settings.OutputExpireDays is { } expire ? Duration.Days(expire) : null,
                NoncurrentVersionExpiration = settings.OutputVersioned && settings.OutputExpireDays is { } days ? Duration.Days(days) : null,
                Transitions = settings.OutputTransitionDays is { } transition
                    ? [new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(transition) }]
                    : null,
            });
        }

        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BucketName = settings.OutputBucketName,
            Encryption = key is null ? BucketEncryption.S3_MANAGED : BucketEncryption.KMS,
            EncryptionKey = key,
            BucketKeyEnabled = key is not null,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            Versioned = settings.OutputVersioned,
            LifecycleRules = [.. rules],
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // A literal name where one was given keeps s3:// locations readable in the template (Glue, Athena, commands).
        BucketName = settings.OutputBucketName ?? Bucket.BucketName;
    }

    public Bucket Bucket { get; }

    public string BucketName { get; }

    /// <summary><c>s3://bucket/prefix</c>, a token when the bucket name is generated.</summary>
    public string Location(string prefix) => $"s3://{BucketName}/{prefix}";
}
