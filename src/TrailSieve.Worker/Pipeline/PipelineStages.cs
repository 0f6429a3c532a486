using Microsoft.Extensions.Logging;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Ocsf;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// The three record stages, configured the same way for every composition (the service's <c>ServiceTopology</c> and
/// <see cref="LocalPipeline"/>); the compositions create the channels between them and start them.
/// </summary>
internal sealed record PipelineStages(ReadStage Read, FilterStage Filter, WriteStage Write)
{
    /// <summary>
    /// The stages for <paramref name="pipeline"/> and <paramref name="output"/>, evaluating <paramref name="rules"/> and
    /// writing to <paramref name="sink"/>; <paramref name="detections"/> says where findings go (null: detection hits
    /// are only counted), and <paramref name="countOnly"/> makes a dry run (records are evaluated and counted; nothing
    /// is compressed or written, no finding or quarantine line either). The write stage commits every open batch on <paramref name="flush"/>.
    /// Batch mode with <see cref="OutputOptions.ExactlyOnce"/> keeps a <see cref="DeliveryLedger"/> where the sink can
    /// (S3: the service and backfill; not <c>filter</c>'s local folder). Every stage reads and writes gzip with the codec
    /// <see cref="PipelineOptions.Compression"/> chooses, logged here (event 108) once per composition. Raises the thread
    /// pool's minimum so that every stage loop has a thread (<see cref="StageWorkers.ReserveThreads"/>).
    /// </summary>
    public static PipelineStages Create(
        PipelineOptions pipeline,
        OutputOptions output,
        IRuleSetProvider rules,
        IObjectSink sink,
        PipelineCounters counters,
        FlushSignal flush,
        TimeProvider timeProvider,
        ILogger logger,
        DetectionsRuntime? detections,
        bool countOnly = false)
    {
        var codec = pipeline.ResolveCodec();
        Log.CodecChosen(logger, codec.Name, pipeline.Compression.ToString().ToLowerInvariant(), codec == GzipCodec.Isal ? string.Empty : CodecNote(pipeline.Compression));
        // Every reader and filter worker, the writer, and one more for whatever else wakes (the outcome consumer, the
        // SQS receivers and settler, timers): see StageWorkers.ReserveThreads.
        StageWorkers.ReserveThreads(pipeline.ReadParallelism + pipeline.FilterParallelism + 2);
        var findings = countOnly ? null : detections;
        var ledger = output.Mode == OutputMode.Batch && output.ExactlyOnce && !countOnly && sink is ILedgeredSink ledgered
            ? new DeliveryLedger(ledgered.CreateLedgerStore(), output.Prefix, output.EffectiveClaimLease, counters, timeProvider, logger)
            : null;
        return new PipelineStages(
            new ReadStage(pipeline.ReadParallelism, pipeline.ToReaderOptions(codec), timeProvider),
            new FilterStage(
                pipeline.FilterParallelism, rules, output.Mode == OutputMode.Batch, !countOnly, pipeline.CompressionLevel, counters, logger, findings,
                recordIdentities: output.Mode == OutputMode.Batch && output.DedupWindow > 0, codec,
                ocsf: output.Format == OutputFormat.Ocsf ? new CloudTrailOcsfMapper(output.OcsfRawData, pipeline.MaxDepth) : null),
            new WriteStage(sink, output, counters, flush, timeProvider, logger, findings, writeQuarantine: !countOnly, ledger, codec));
    }

    /// <summary>Why zlib was chosen, for the log line: configured, or ISA-L missing.</summary>
    private static string CodecNote(GzipCodecChoice choice) =>
        choice == GzipCodecChoice.Zlib ? string.Empty : $"; ISA-L is not available: {GzipCodec.IsalUnavailableReason} (apt-get install libisal2)";
}
