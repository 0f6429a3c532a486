using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Backfill;

/// <summary>Backfill log events, ids 700 to 799: what a backfill task's log in CloudWatch shows besides the pipeline's.</summary>
internal static partial class Log
{
    [LoggerMessage(700, LogLevel.Information,
        "Backfill progress: {ObjectsDone} of {ObjectsTotal} objects, {BytesDone} of {BytesTotal} bytes compressed, {MegabytesPerSecond} MB/s, ETA {Eta}, {PartitionsDone} of {Partitions} partitions, {ObjectsFailed} failed")]
    public static partial void Progress(
        ILogger logger, long objectsDone, long objectsTotal, long bytesDone, long bytesTotal, double megabytesPerSecond, TimeSpan? eta, long partitionsDone, long partitions, long objectsFailed);

    [LoggerMessage(701, LogLevel.Information,
        "Backfill listing: {ObjectsListed} objects ({BytesListed} bytes compressed) listed so far of {Partitions} partitions; {ObjectsDone} done ({BytesDone} bytes), {MegabytesPerSecond} MB/s, {ObjectsFailed} failed")]
    public static partial void Listing(
        ILogger logger, long objectsListed, long bytesListed, long partitions, long objectsDone, long bytesDone, double megabytesPerSecond, long objectsFailed);

    [LoggerMessage(702, LogLevel.Critical, "Backfill cannot go on: {Reason}")]
    public static partial void Stopped(ILogger logger, string reason);

    [LoggerMessage(703, LogLevel.Error, "Backfill found no CloudTrail object in {Source} ({Filters}; {Partitions} day partitions looked at)")]
    public static partial void FoundNothing(ILogger logger, string source, string filters, long partitions);
}
