namespace TrailSieve.Deploy.Settings;

/// <summary>How new CloudTrail objects reach the queue.</summary>
public enum NotificationSource
{
    /// <summary>An S3 event notification on the CloudTrail bucket, straight to the queue.</summary>
    S3,

    /// <summary>A subscription of the queue to an existing SNS topic (raw message delivery off: the worker unwraps SNS).</summary>
    Sns,
}
