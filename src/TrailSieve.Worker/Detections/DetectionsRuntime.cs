using TrailSieve.Core.Detections;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Detections;

/// <summary>
/// What a pipeline needs to raise findings and write them: the engine (with the process's one threshold tracker),
/// the alerts sink and its layout, and when a findings object is flushed. Made by <see cref="DetectionsSetup"/>.
/// The detections themselves travel with the rules (<see cref="Core.Rules.CompiledRuleSet.WithDetections"/>), so a
/// reload swaps both at once while the threshold state, kept by detection name, carries on.
/// </summary>
internal sealed class DetectionsRuntime(DetectionEngine engine, IObjectSink findingsSink, FindingsLayout layout, TimeSpan maxAge, long maxBytes)
{
    public DetectionEngine Engine { get; } = engine;

    public IObjectSink FindingsSink { get; } = findingsSink;

    public FindingsLayout Layout { get; } = layout;

    public TimeSpan MaxAge { get; } = maxAge;

    public long MaxBytes { get; } = maxBytes;
}
