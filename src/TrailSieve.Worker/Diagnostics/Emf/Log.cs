using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Diagnostics.Emf;

/// <summary>Metrics (EMF) log events, ids 500 to 599.</summary>
internal static partial class Log
{
    [LoggerMessage(500, LogLevel.Information, "Writing CloudWatch EMF metrics to stdout every {FlushInterval} in namespace {Namespace}")]
    public static partial void Started(ILogger logger, TimeSpan flushInterval, string @namespace);

    [LoggerMessage(501, LogLevel.Warning, "CloudWatch EMF metrics could not be written; this interval's metrics are lost")]
    public static partial void WriteFailed(ILogger logger, Exception exception);
}
