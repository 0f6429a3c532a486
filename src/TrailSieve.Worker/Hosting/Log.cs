using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Hosting;

/// <summary>Service lifecycle log events, ids 400 to 499.</summary>
internal static partial class Log
{
    [LoggerMessage(400, LogLevel.Information, "TrailSieve started: queue {QueueUrl}, output s3://{Bucket}/{Prefix} ({Mode}), {Receivers} receivers, {FilterWorkers} filter workers")]
    public static partial void Started(ILogger logger, string queueUrl, string bucket, string prefix, string mode, int receivers, int filterWorkers);

    [LoggerMessage(401, LogLevel.Information, "Stopping: no more receives; draining in-flight work for up to {DrainTimeout}")]
    public static partial void Draining(ILogger logger, TimeSpan drainTimeout);

    [LoggerMessage(402, LogLevel.Information, "Stopped after draining: {Received} messages received, {Deleted} deleted, {Abandoned} left for redelivery; {Records} records, {Kept} kept")]
    public static partial void Stopped(ILogger logger, long received, long deleted, long abandoned, long records, long kept);

    [LoggerMessage(403, LogLevel.Critical, "Cannot start: rules from {RulesSource} could not be loaded: {Reason}")]
    public static partial void RulesUnavailable(ILogger logger, string rulesSource, string reason);

    [LoggerMessage(404, LogLevel.Critical, "Stopping: the queue {QueueUrl} cannot be used: {Reason}")]
    public static partial void QueueUnusable(ILogger logger, string queueUrl, string reason);

    [LoggerMessage(405, LogLevel.Information, "No message received for {Idle} and nothing in flight or released that can come back: stopping (--until-idle)")]
    public static partial void Idle(ILogger logger, TimeSpan idle);

    [LoggerMessage(406, LogLevel.Critical, "Stopping after an unexpected fault")]
    public static partial void Faulted(ILogger logger, Exception exception);

    [LoggerMessage(407, LogLevel.Warning, "The drain timeout passed with work in flight: unfinished messages will be delivered again")]
    public static partial void DrainTimedOut(ILogger logger);

    [LoggerMessage(408, LogLevel.Information, "Effective configuration: {Configuration}")]
    public static partial void EffectiveConfiguration(ILogger logger, string configuration);

    [LoggerMessage(409, LogLevel.Warning, "Could not write the heartbeat file {HeartbeatFile}: {Reason}")]
    public static partial void HeartbeatWriteFailed(ILogger logger, string heartbeatFile, string reason);

    [LoggerMessage(410, LogLevel.Error, "No progress from the worker for {Silence}: {HeartbeatFile} is no longer touched, so the health check will fail")]
    public static partial void LivenessStalled(ILogger logger, TimeSpan silence, string heartbeatFile);

    [LoggerMessage(411, LogLevel.Critical, "Cannot start: invalid configuration: {Failure}")]
    public static partial void InvalidConfiguration(ILogger logger, string failure);

    [LoggerMessage(412, LogLevel.Information, "Shutdown: released {Released} of {Left} messages still in flight (visible to other workers now; the rest come back when their visibility timeout ends)")]
    public static partial void ReleasedAtShutdown(ILogger logger, int released, int left);
}
