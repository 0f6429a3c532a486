using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Sqs;

/// <summary>SQS log events, ids 200 to 299.</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Error, "Message {MessageId} is not a notification TrailSieve understands ({Reason}); left for the DLQ. Body starts: {BodyStart}")]
    public static partial void UnknownMessage(ILogger logger, string messageId, string reason, string bodyStart);

    [LoggerMessage(201, LogLevel.Information, "Message {MessageId} is an S3 test event; acknowledged")]
    public static partial void TestEvent(ILogger logger, string messageId);

    [LoggerMessage(202, LogLevel.Warning, "Message {MessageId} released for redelivery in {Visibility} (receive count {ReceiveCount}, {Retry}): {ObjectName} failed ({ErrorType}): {Reason}")]
    public static partial void MessageAbandoned(ILogger logger, string messageId, TimeSpan visibility, int receiveCount, string retry, string objectName, string errorType, string reason);

    [LoggerMessage(203, LogLevel.Warning, "Deleting message {MessageId} failed ({Code}): {Reason}; it will be delivered again")]
    public static partial void DeleteFailed(ILogger logger, string messageId, string code, string reason);

    [LoggerMessage(204, LogLevel.Warning, "Extending visibility of message {MessageId} failed ({Code}): {Reason}")]
    public static partial void ExtendFailed(ILogger logger, string messageId, string code, string reason);

    [LoggerMessage(205, LogLevel.Warning, "Receiving from {QueueUrl} failed (attempt {Attempt}), retrying in {Delay}: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, string queueUrl, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(206, LogLevel.Error, "Deleting a batch of messages failed; they will be delivered again")]
    public static partial void DeleteBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(207, LogLevel.Warning, "Extending visibility of a batch of messages failed")]
    public static partial void ExtendBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(208, LogLevel.Information, "Message {MessageId} announced no object to process ({IgnoredEvents} ignored events); acknowledged")]
    public static partial void NothingToProcess(ILogger logger, string messageId, int ignoredEvents);

    [LoggerMessage(209, LogLevel.Warning, "Releasing message {MessageId} failed ({Code}): {Reason}; it is visible again when its visibility timeout ends")]
    public static partial void ReleaseFailed(ILogger logger, string messageId, string code, string reason);

    [LoggerMessage(210, LogLevel.Warning, "Releasing a batch of messages failed; they are visible again when their visibility timeout ends")]
    public static partial void ReleaseBatchFailed(ILogger logger, Exception exception);
}
