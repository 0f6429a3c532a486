using Polly;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Rules;
using TrailSieve.Worker.S3;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Ssm;

namespace TrailSieve.Worker.Cli;

/// <summary>
/// What backfill reads from and writes to, as the Backfill, Rules and Pipeline interfaces want them: the S3, SQS and
/// SSM adapters over one command's clients, every one of them on the one retry pipeline. Every S3 request (list, GET
/// of the objects and of the rules, PUT and multipart of the output, the checkpoint's) carries the
/// <paramref name="guard"/>'s expected bucket owner when it has one.
/// </summary>
internal sealed class BackfillAdapters(TimeProvider timeProvider, TrailSieveMetrics metrics, SourceGuard guard) : IDisposable
{
    private readonly AwsClients _clients = new(new AwsClientFactory());
    private readonly ResiliencePipeline _resilience = AwsResilience.Create(timeProvider);

    /// <summary>The rules and detections text; the S3 and SSM clients are made only if the configured source needs them.</summary>
    public IConfigTextReader ConfigText => new ConfigTextReader(
        new S3TextReader(() => _clients.S3, _resilience, guard.ExpectedBucketOwner), new SsmParameterReader(() => _clients.Ssm, _resilience));

    public IObjectLister Lister => new S3ObjectLister(_clients.S3, _resilience, guard.ExpectedBucketOwner);

    public S3ObjectSource Objects => new(_clients.S3, _resilience, metrics, timeProvider, guard);

    /// <summary>
    /// Makes the S3 client now, so that a missing region is reported before anything is listed; it throws what
    /// <see cref="AwsClients.S3"/> does (an <see cref="AwsErrors.IsAwsFailure"/> exception).
    /// </summary>
    public void ConnectS3() => _ = _clients.S3;

    public S3ObjectSink Sink(OutputOptions output) => new(_clients.S3, output, _resilience, metrics, timeProvider, guard.ExpectedBucketOwner);

    /// <summary>The store behind a checkpoint location: an S3 object for <c>s3://bucket/key</c>, a local file otherwise.</summary>
    public ICheckpointStore Checkpoint(string location) =>
        S3CheckpointStore.TryParse(location, out var bucket, out var key)
            ? new S3CheckpointStore(_clients.S3, bucket, key, _resilience, guard.ExpectedBucketOwner)
            : new FileCheckpointStore(location);

    /// <summary>The sender for <c>--enqueue</c>; <see cref="EnqueueTarget"/> runs its calls through its own retry pipeline.</summary>
    public IMessageSender Sender(string queueUrl) => new SqsMessageSender(_clients.Sqs, queueUrl);

    public void Dispose() => _clients.Dispose();
}
