using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Detections;

/// <summary>Detection log events, ids 600 to 699. A finding is logged without its record.</summary>
internal static partial class Log
{
    [LoggerMessage(600, LogLevel.Warning, "Finding {Detection} ({Severity}): event {EventId} in account {Account} from {ObjectName}")]
    public static partial void Finding(ILogger logger, string detection, string severity, string eventId, string account, string objectName);

    [LoggerMessage(601, LogLevel.Information, "Wrote findings {OutputName}: {Findings} findings, {Bytes} bytes")]
    public static partial void FindingsCommitted(ILogger logger, string outputName, long findings, long bytes);

    [LoggerMessage(602, LogLevel.Information, "Detections loaded from {Source}: {Count} detections")]
    public static partial void DetectionsLoaded(ILogger logger, string source, int count);

    [LoggerMessage(603, LogLevel.Warning, "Detections warning: {Warning}")]
    public static partial void DetectionsWarning(ILogger logger, string warning);
}
