using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Worker.Local;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve dryrun</c>: what a rules file would do to sample files, without writing anything.</summary>
internal static class DryRunCommand
{
    public static Command Create()
    {
        var rules = CommonOptions.Rules();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: records, kept, dropped, filterRate, rules (hits per rule), detections (hits per detection, with --detections)." };
        var detections = CommonOptions.Detections();
        var sigmaMinimumLevel = CommonOptions.SigmaMinimumLevel();
        var parallelism = CommonOptions.Parallelism();
        var compression = CompressionSetting.Option();
        var inputs = CommonOptions.Inputs();
        var command = new Command("dryrun", """
            Run a rules file over sample files and print totals, filter rate and hits per rule; nothing is written.

            Examples:
              trailsieve dryrun --rules rules/default.yaml samples/
              trailsieve dryrun --rules rules/default.yaml --json /data/AWSLogs/111122223333 | jq .filterRate
              trailsieve dryrun --rules rules/default.yaml --detections rules/detections/threats.yaml samples/
            """)
        {
            rules, json, parallelism, compression, detections, sigmaMinimumLevel, inputs,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var ruleSet = RuleFiles.TryLoad(parse.GetValue(rules)!, error);
            if (ruleSet is null)
            {
                return ExitCodes.UsageOrRules;
            }

            var detectionFiles = parse.GetValue(detections) ?? [];
            if (DetectionFiles.TryLoad(detectionFiles, error, parse.GetValue(sigmaMinimumLevel)) is not { } detectionSet)
            {
                return ExitCodes.UsageOrRules;
            }

            // Taking detections in compiles the rules again (every regex); without any that is the same set, twice the cost.
            if (detectionFiles.Length > 0)
            {
                ruleSet = ruleSet.WithDetections(detectionSet);
            }

            if (!CompressionSetting.TryResolve(parse.GetValue(compression), WorkerConfiguration.Build, GzipCodec.IsalUnavailableReason, error, out var codec))
            {
                return ExitCodes.UsageOrRules;
            }

            var pipelineOptions = new PipelineOptions { FilterParallelism = parse.GetValue(parallelism), Compression = codec };
            if (!OptionsCheck.TryValidate(error, pipelineOptions))
            {
                return ExitCodes.UsageOrRules;
            }

            if (LocalInputs.TryEnumerate(parse.GetValue(inputs)!, error) is not { } objects)
            {
                return ExitCodes.UsageOrRules;
            }

            var (counters, _) = await LocalRun.RunAsync(
                objects,
                ruleSet,
                pipelineOptions,
                new OutputOptions { Mode = OutputMode.Mirror },
                new DiscardingSink(),
                countOnly: true,
                verbose: false,
                error,
                cancellationToken).ConfigureAwait(false);

            var hits = ruleSet.RuleNames.ToDictionary(n => n, n => counters.RuleHits.GetValueOrDefault(n), StringComparer.Ordinal);
            // Hits, not findings: a threshold detection's hits are counted whether or not they would reach its count.
            var detectionHits = detectionFiles.Length == 0
                ? null
                : detectionSet.Detections.ToDictionary(d => d.Name, d => counters.DetectionHits.GetValueOrDefault(d.Name), StringComparer.Ordinal);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(
                    new DryRunReport(counters.Records, counters.Kept, counters.Dropped, counters.FilterRate, hits, detectionHits), DryRunJsonContext.Default.DryRunReport));
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"files {counters.Files} (failed {counters.FilesFailed}, skipped {counters.FilesSkipped})"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"records {counters.Records}, kept {counters.Kept}, dropped {counters.Dropped}, filter rate {counters.FilterRate:P1}"));
                var width = Math.Max(4, hits.Keys.DefaultIfEmpty(string.Empty).Max(k => k.Length));
                output.WriteLine($"{"rule".PadRight(width)}  hits");
                foreach (var (name, count) in hits)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name.PadRight(width)}  {count}"));
                }

                if (detectionHits is not null)
                {
                    var detectionWidth = Math.Max(9, detectionHits.Keys.DefaultIfEmpty(string.Empty).Max(k => k.Length));
                    output.WriteLine($"{"detection".PadRight(detectionWidth)}  hits");
                    foreach (var (name, count) in detectionHits)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name.PadRight(detectionWidth)}  {count}"));
                    }
                }
            }

            return counters.FilesFailed > 0 ? ExitCodes.InputFailed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A sink for runs that write nothing; creating an object is a bug there.</summary>
    private sealed class DiscardingSink : IObjectSink
    {
        public string Describe(string key) => key;

        public ValueTask<IOutputObject> CreateAsync(string key, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a dry run writes no output");
    }
}
