using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Pipeline;

/// <summary>Pipeline log events, ids 100 to 199. Record contents are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(125, LogLevel.Warning, "The output store ignores conditional writes (probe {ProbeName} was created twice): the delivery ledger reads each marker before writing it, which stops redeliveries but not two workers claiming one object at the same instant")]
    public static partial void ConditionalWritesIgnored(ILogger logger, string probeName);

    [LoggerMessage(100, LogLevel.Information, "Filtered {ObjectName}: {Records} records, {Kept} kept, {Dropped} dropped, {Quarantined} quarantined, {Deduplicated} duplicates not written in {ElapsedMs} ms")]
    public static partial void ObjectFiltered(ILogger logger, string objectName, long records, long kept, long dropped, long quarantined, long deduplicated, long elapsedMs);

    [LoggerMessage(101, LogLevel.Information, "Skipped CloudTrail digest file {ObjectName}")]
    public static partial void DigestSkipped(ILogger logger, string objectName);

    [LoggerMessage(103, LogLevel.Error, "Object {ObjectName} failed ({ErrorType}): {Reason}; none of its records were written")]
    public static partial void ObjectFailed(ILogger logger, string objectName, string errorType, string reason);

    [LoggerMessage(104, LogLevel.Information, "Wrote {OutputName}: {Records} records, {Bytes} bytes")]
    public static partial void OutputCommitted(ILogger logger, string outputName, long records, long bytes);

    [LoggerMessage(107, LogLevel.Trace, "Dropped record {RecordIndex} of {ObjectName} by rule {RuleName}")]
    public static partial void RecordDropped(ILogger logger, string objectName, long recordIndex, string ruleName);

    [LoggerMessage(106, LogLevel.Warning, "Skipped {ObjectName}: {Reason}")]
    public static partial void ObjectSkipped(ILogger logger, string objectName, string reason);

    [LoggerMessage(108, LogLevel.Information, "gzip codec {Codec} (Pipeline:Compression={Compression}{Note})")]
    public static partial void CodecChosen(ILogger logger, string codec, string compression, string note);

    [LoggerMessage(120, LogLevel.Warning, "Quarantined record {RecordIndex} of {ObjectName} at byte {Offset} ({Kind}): {Reason}")]
    public static partial void RecordQuarantined(ILogger logger, string objectName, long recordIndex, long offset, string kind, string reason);

    [LoggerMessage(121, LogLevel.Information, "Wrote quarantine {OutputName}: {Records} records, {Bytes} bytes")]
    public static partial void QuarantineCommitted(ILogger logger, string outputName, long records, long bytes);

    [LoggerMessage(105, LogLevel.Error, "Filter worker failed on a chunk of {ObjectName}")]
    public static partial void FilterWorkerError(ILogger logger, Exception exception, string objectName);

    [LoggerMessage(130, LogLevel.Debug, "Not writing {Duplicates} records of {ObjectName} that {OutputName} already holds (same eventID and bytes)")]
    public static partial void DuplicatesDropped(ILogger logger, int duplicates, string objectName, string outputName);

    [LoggerMessage(131, LogLevel.Warning, "The deduplication window of {OutputName} is full at {Records} records (Output:DedupWindow): later records of this batch are checked against those only")]
    public static partial void DedupWindowFull(ILogger logger, string outputName, int records);
}
