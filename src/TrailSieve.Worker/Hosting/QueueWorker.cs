using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Rules;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The hosted service of <c>trailsieve run</c>: logs the effective configuration, loads the rules, runs the
/// <see cref="ServiceTopology"/> and turns how it ended into the process's exit code (<see cref="ServiceExit"/>).
/// </summary>
internal sealed class QueueWorker(
    ServiceSettings settings,
    ServiceTopology topology,
    ReloadingRuleSetProvider rules,
    RulesTextSource rulesSource,
    PipelineCounters counters,
    ServiceCounters serviceCounters,
    ServiceExit exit,
    IHostApplicationLifetime lifetime,
    ILogger<QueueWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sqs = settings.Sqs;
        var output = settings.Output;
        Log.EffectiveConfiguration(logger, settings.Describe());
        try
        {
            await rules.LoadAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RulesUnavailable(logger, rulesSource.Describe(), ex.Message);
            exit.Problems = ex is RulesLoadException load
                ? load.Problems
                : [new Options.ConfigurationProblem(rulesSource.Setting, $"{rulesSource.Describe()} cannot be loaded: {ex.Message}")];
            Stop(ServiceExit.ConfigurationError);
            return;
        }

        Log.Started(logger, sqs.QueueUrl, output.Bucket, output.Prefix, output.Mode.ToString(), sqs.Receivers, settings.Pipeline.FilterParallelism);
        try
        {
            if (!await topology.RunAsync(stoppingToken).ConfigureAwait(false))
            {
                Log.DrainTimedOut(logger);
                return;
            }

            Log.Stopped(logger, serviceCounters.Received, serviceCounters.Deleted, serviceCounters.Abandoned, counters.Records, counters.Kept);
            if (sqs.UntilIdle is not null)
            {
                // Drained already (the topology's drain deadline is gone with it): stop the host.
                lifetime.StopApplication();
            }
        }
        catch (Exception ex) when (AwsErrors.IsFatalQueueError(ex))
        {
            Log.QueueUnusable(logger, sqs.QueueUrl, ex.Message);
            Stop(ServiceExit.Fatal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.Faulted(logger, ex);
            Stop(ServiceExit.Fatal);
        }
    }

    private void Stop(int code)
    {
        exit.Code = code;
        lifetime.StopApplication();
    }
}
