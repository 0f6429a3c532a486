using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Rules;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Cli;

/// <summary>What <c>filter</c> and <c>dryrun</c> share: run the pipeline over local inputs and report each failure.</summary>
internal static class LocalRun
{
    public static async Task<(PipelineCounters Counters, TimeSpan Elapsed)> RunAsync(
        IReadOnlyList<SourceObject> inputs,
        CompiledRuleSet rules,
        PipelineOptions pipelineOptions,
        OutputOptions outputOptions,
        IObjectSink sink,
        bool countOnly,
        bool verbose,
        TextWriter error,
        CancellationToken cancellationToken,
        DetectionsRuntime? detections = null)
    {
        var counters = new PipelineCounters();
        using var loggerFactory = verbose
            ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).AddFilter(l => l >= LogLevel.Information))
            : null;
        var logger = ((ILoggerFactory?)loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PipelineStages>();
        var stages = PipelineStages.Create(
            pipelineOptions, outputOptions, new StaticRuleSetProvider(rules), sink, counters, new FlushSignal(), TimeProvider.System, logger, detections, countOnly);
        var pipeline = new LocalPipeline(stages, pipelineOptions);
        var stopwatch = Stopwatch.StartNew();
        await pipeline.RunAsync(inputs, outcome => PrintFailure(outcome, error), cancellationToken).ConfigureAwait(false);
        return (counters, stopwatch.Elapsed);
    }

    /// <summary>One line on stderr per failed input: its path and why.</summary>
    private static void PrintFailure(ObjectOutcome outcome, TextWriter error)
    {
        if (outcome.Status == ObjectStatus.Failed)
        {
            error.WriteLine($"{outcome.Source.Name}: {outcome.ErrorType}: {outcome.Error}");
        }
    }
}
