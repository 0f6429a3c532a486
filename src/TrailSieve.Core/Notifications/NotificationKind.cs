namespace TrailSieve.Core.Notifications;

/// <summary>The shape of an SQS message body, after unwrapping an SNS envelope.</summary>
public enum NotificationKind
{
    /// <summary>An S3 event notification: <c>{"Records":[{"eventName":"ObjectCreated:Put","s3":{...}}]}</c>.</summary>
    S3Event,

    /// <summary>CloudTrail's own delivery notification: <c>{"s3Bucket":"...","s3ObjectKey":["...",...]}</c>.</summary>
    CloudTrailDelivery,

    /// <summary>An EventBridge event from <c>aws.s3</c>: <c>{"detail-type":"Object Created","detail":{...}}</c>.</summary>
    EventBridge,

    /// <summary>The <c>s3:TestEvent</c> S3 sends when a notification is configured: acknowledge it, nothing to read.</summary>
    TestEvent,

    /// <summary>Not a notification this parser knows, or a malformed one (<see cref="ParsedNotification.Error"/> says why).</summary>
    Unknown,
}
