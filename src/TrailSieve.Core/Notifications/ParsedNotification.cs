namespace TrailSieve.Core.Notifications;

/// <summary>What one SQS message body announced.</summary>
/// <param name="Kind">The message's shape; <see cref="NotificationKind.Unknown"/> whenever <paramref name="Error"/> is set.</param>
/// <param name="SnsWrapped">The body was an SNS <c>Notification</c> envelope whose <c>Message</c> held the shape.</param>
/// <param name="Objects">The objects to read, each once, in message order.</param>
/// <param name="IgnoredEvents">Events that announce no object to read (ObjectRemoved, Object Deleted, ...).</param>
/// <param name="Error">Why the body was not understood; null when it was.</param>
public sealed record ParsedNotification(
    NotificationKind Kind,
    bool SnsWrapped,
    IReadOnlyList<ObjectRef> Objects,
    int IgnoredEvents,
    string? Error)
{
    /// <summary>The body was a known notification shape (possibly announcing no objects).</summary>
    public bool IsRecognised => Kind != NotificationKind.Unknown;

    internal static ParsedNotification Failed(string error, bool snsWrapped = false) =>
        new(NotificationKind.Unknown, snsWrapped, [], 0, error);

    internal static ParsedNotification Recognised(NotificationKind kind, IReadOnlyList<ObjectRef> objects, int ignoredEvents) =>
        new(kind, false, objects, ignoredEvents, null);
}
