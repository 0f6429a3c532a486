using TrailSieve.Core.Detections;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Detections;

/// <summary>
/// The one place a command turns <see cref="DetectionsOptions"/> into a <see cref="DetectionsRuntime"/> for its
/// <see cref="Pipeline.PipelineStages"/>. <c>filter</c> uses <see cref="ForFolder"/>; <c>run</c> (and
/// <c>backfill</c>) use <see cref="ForBucket"/> with their output sink. The rules the pipeline evaluates must carry
/// the detections: <c>rules.WithDetections(set)</c> (<see cref="Rules.ReloadingRuleSetProvider"/> does it per load).
/// </summary>
internal static class DetectionsSetup
{
    /// <summary>Findings as <c>findings-{id}.jsonl.gz</c> in a local folder (created if missing).</summary>
    public static DetectionsRuntime ForFolder(DetectionsOptions options, string alertsFolder) =>
        new(CreateEngine(options), new LocalDirectorySink(alertsFolder), FindingsLayout.Flat, options.MaxAge, options.MaxBytes);

    /// <summary>Findings in the output bucket under <see cref="DetectionsOptions.AlertsPrefix"/>, partitioned by day.</summary>
    public static DetectionsRuntime ForBucket(DetectionsOptions options, IObjectSink outputSink) =>
        new(CreateEngine(options), outputSink, new FindingsLayout(options.AlertsPrefix, partitionByDay: true), options.MaxAge, options.MaxBytes);

    /// <summary>One engine, and so one threshold tracker, per process: windows span every object it filters.</summary>
    private static DetectionEngine CreateEngine(DetectionsOptions options) => new(new ThresholdTracker(options.Lateness, options.MaxGroups));
}
