using System.Diagnostics;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// A source object once the read stage has taken it: the object, when its processing started and its span. Every
/// chunk of the object refers to it; nothing in it changes afterwards, so stages share it without locks. What a stage
/// learns about the object travels forward as data instead (<see cref="ReadEnd"/>, <see cref="FilteredChunk"/>).
/// </summary>
internal sealed class TrackedObject(SourceObject source, long startTimestamp, Activity? activity)
{
    public SourceObject Source { get; } = source;

    public long StartTimestamp { get; } = startTimestamp;

    /// <summary>The object's span, from reading to its outcome.</summary>
    public Activity? Activity { get; } = activity;

    public string Name => Source.Name;
}
