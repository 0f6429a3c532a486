using Microsoft.Extensions.Logging;
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
        var findings = countOnly ? null : detections;
        return new PipelineStages(
            new ReadStage(pipeline.ReadParallelism, pipeline.ToReaderOptions(), timeProvider),
            new FilterStage(
                pipeline.FilterParallelism, rules, output.Mode == OutputMode.Batch, !countOnly, pipeline.CompressionLevel, counters, logger, findings,
                recordIdentities: output.Mode == OutputMode.Batch && output.DedupWindow > 0),
            new WriteStage(sink, output, counters, flush, timeProvider, logger, findings, writeQuarantine: !countOnly));
    }
}
