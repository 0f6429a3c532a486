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
}
