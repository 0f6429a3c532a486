using Microsoft.Extensions.Logging;

namespace TrailSieve.Worker.Rules;

/// <summary>Rules log events, ids 300 to 399.</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Loaded {RuleCount} rules from {RulesSource} in {ElapsedMs} ms")]
    public static partial void RulesLoaded(ILogger logger, string rulesSource, int ruleCount, long elapsedMs);

    [LoggerMessage(301, LogLevel.Error, "Reloading rules from {RulesSource} failed; keeping the last good rules: {Reason}")]
    public static partial void RulesReloadFailed(ILogger logger, string rulesSource, string reason);

    [LoggerMessage(302, LogLevel.Warning, "Rules: {Warning}")]
    public static partial void RulesWarning(ILogger logger, string warning);
}
