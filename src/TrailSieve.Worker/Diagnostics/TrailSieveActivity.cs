using System.Diagnostics;

namespace TrailSieve.Worker.Diagnostics;

/// <summary>
/// The one <see cref="ActivitySource"/>: a span per SQS message (continuing the W3C trace context of the message's
/// <c>traceparent</c> attribute when there is one), a child span per object, and children for reading and uploading,
/// so a slow object can be followed from receipt to delete.
/// </summary>
internal static class TrailSieveActivity
{
    public static ActivitySource Source { get; } = new(TrailSieveMetrics.ActivitySourceName);

    /// <summary>The parent context from a W3C <c>traceparent</c> (and optional <c>tracestate</c>), or default.</summary>
    public static ActivityContext ParentFrom(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, out var context) ? context : default;
}
