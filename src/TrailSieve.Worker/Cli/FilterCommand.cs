using System.CommandLine;
using System.Globalization;
using TrailSieve.Core.CloudTrail.Compression;
using TrailSieve.Core.Ocsf;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Local;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Cli;

/// <summary><c>trailsieve filter</c>: local CloudTrail files in, filtered gzip files out; no AWS involved.</summary>
internal static class FilterCommand
{
    public static Command Create()
    {
        var rules = CommonOptions.Rules();
        var output = new Option<string>("--out", "-o") { Description = "Output folder (created if missing).", Required = true };
        var mode = new Option<OutputMode?>("--mode", "-m")
        {
            Description = "mirror (the default for cloudtrail): one output per input at the same relative path; batch (the default, and the only mode, for ocsf): grouped by account/region/day and flushed by size.",
        };
        var format = CommonOptions.OutputFormat();
        var ocsfSource = new Option<string>("--ocsf-source")
        {
            Description = "--format ocsf: the Security Lake custom source name; each class goes under ext/<name>-<class_uid>/ (Output:OcsfSourceName).",
            DefaultValueFactory = _ => new OutputOptions().OcsfSourceName,
        };
        var ocsfSourceVersion = new Option<string>("--ocsf-source-version")
        {
            Description = "--format ocsf: the custom source's version folder, for a source created with one: ext/<name>-<class_uid>/<version>/region=... (Output:OcsfSourceVersion; default none).",
            DefaultValueFactory = _ => new OutputOptions().OcsfSourceVersion,
        };
        var ocsfRawData = new Option<OcsfRawData>("--ocsf-raw-data")
        {
            Description = "--format ocsf: where each event keeps its CloudTrail record: rawdata (raw_data, the exact text; default), unmapped (the unmapped map of the fields no attribute holds) or none (Output:OcsfRawData).",
            DefaultValueFactory = _ => new OutputOptions().OcsfRawData,
        };
        var parallelism = CommonOptions.Parallelism();
        var writeEmpty = new Option<bool>("--write-empty") { Description = "Mirror mode: write {\"Records\":[]} when nothing of a file is kept." };
        var maxBytes = new Option<long>("--max-bytes")
        {
            Description = "Batch mode: flush a partition at this many uncompressed bytes.",
            DefaultValueFactory = _ => new OutputOptions().MaxBytes,
        };
        var layout = new Option<OutputLayout>("--layout")
        {
            Description = "Batch mode key layout: cloudtrail (AWSLogs/{account}/CloudTrail/{region}/{yyyy}/{MM}/{dd}/...) or hive (account=/region=/year=/month=/day=, for Athena; see athena-ddl).",
            DefaultValueFactory = _ => OutputLayout.CloudTrail,
        };
        var prefix = new Option<string>("--prefix") { Description = "Prefix for every output key.", DefaultValueFactory = _ => string.Empty };
        var maxRecordBytes = new Option<int>("--max-record-bytes")
        {
            Description = "Largest record accepted; a file with a larger one fails.",
            DefaultValueFactory = _ => new PipelineOptions().MaxRecordBytes,
        };
        var compression = CompressionSetting.Option();
        var detections = CommonOptions.Detections();
        var sigmaMinimumLevel = CommonOptions.SigmaMinimumLevel();
        var alerts = new Option<string?>("--alerts")
        {
            Description = "Folder for findings (gzip JSON Lines, findings-<id>.jsonl.gz); needed with --detections, and makes 'action: tag' rules raise findings.",
        };
        var verbose = CommonOptions.Verbose();
        var inputs = CommonOptions.Inputs();

        var command = new Command("filter", """
            Filter local CloudTrail files with a rules file and write gzip {"Records":[...]} files
            (or, with --format ocsf, OCSF 1.1.0 zstd Parquet files in Security Lake's layout).
            Exit code 0 when every input was processed, 1 when any failed (each on stderr with its path and reason;
            the others are still processed), 2 for a usage or rules error.

            Examples:
              trailsieve filter --rules rules/default.yaml --out out/ samples/
              trailsieve filter -r rules/default.yaml -o out/ --mode batch --max-bytes 134217728 /data/AWSLogs
              trailsieve filter -r rules/default.yaml -o out/ --mode batch --layout hive /data/AWSLogs
              trailsieve filter -r rules/default.yaml -o out/ --format ocsf /data/AWSLogs
              trailsieve filter -r my-rules.yaml -o out/ 111122223333_CloudTrail_us-east-1_20260101T0000Z_abc.json.gz
              trailsieve filter -r rules/default.yaml -o out/ --detections rules/detections/threats.yaml --detections rules/detections/high-risk.yaml --alerts alerts/ samples/
            """)
        {
            rules, output, mode, format, ocsfSource, ocsfSourceVersion, ocsfRawData, layout, parallelism, writeEmpty, maxBytes, prefix, maxRecordBytes, compression, detections, sigmaMinimumLevel, alerts, verbose, inputs,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var ruleSet = RuleFiles.TryLoad(parse.GetValue(rules)!, error);
            if (ruleSet is null)
            {
                return ExitCodes.UsageOrRules;
            }

            var detectionFiles = parse.GetValue(detections) ?? [];
            var alertsFolder = parse.GetValue(alerts);
            if (detectionFiles.Length > 0 && string.IsNullOrEmpty(alertsFolder))
            {
                error.WriteLine("--alerts DIR is required with --detections: findings are written there");
                return ExitCodes.UsageOrRules;
            }

            if (DetectionFiles.TryLoad(detectionFiles, error, parse.GetValue(sigmaMinimumLevel)) is not { } detectionSet)
            {
                return ExitCodes.UsageOrRules;
            }

            // Taking detections in compiles the rules again (every regex); without any that is the same set, twice the cost.
            if (detectionFiles.Length > 0)
            {
                ruleSet = ruleSet.WithDetections(detectionSet);
            }

            var detectionsOptions = new DetectionsOptions();
            var runtime = string.IsNullOrEmpty(alertsFolder) ? null : DetectionsSetup.ForFolder(detectionsOptions, alertsFolder);

            if (!CompressionSetting.TryResolve(parse.GetValue(compression), WorkerConfiguration.Build, GzipCodec.IsalUnavailableReason, error, out var codec))
            {
                return ExitCodes.UsageOrRules;
            }

            var pipelineOptions = new PipelineOptions
            {
                FilterParallelism = parse.GetValue(parallelism),
                MaxRecordBytes = parse.GetValue(maxRecordBytes),
                Compression = codec,
            };
            var outputFormat = parse.GetValue(format) ?? OutputFormat.CloudTrail;
            var outputOptions = new OutputOptions
            {
                Format = outputFormat,
                Mode = parse.GetValue(mode) ?? (outputFormat == OutputFormat.Ocsf ? OutputMode.Batch : OutputMode.Mirror),
                OcsfSourceName = parse.GetValue(ocsfSource)!,
                OcsfSourceVersion = parse.GetValue(ocsfSourceVersion)!,
                OcsfRawData = parse.GetValue(ocsfRawData),
                WriteEmpty = parse.GetValue(writeEmpty),
                MaxBytes = parse.GetValue(maxBytes),
                Prefix = parse.GetValue(prefix)!,
                KeyTemplate = OutputLayouts.KeyTemplate(parse.GetValue(layout)),
            };
            if (outputOptions.Mode == OutputMode.Mirror && parse.GetResult(layout) is { Implicit: false })
            {
                error.WriteLine("--layout applies to --mode batch only: mirror mode keeps every input's own key");
                return ExitCodes.UsageOrRules;
            }

            if (outputFormat == OutputFormat.Ocsf && parse.GetResult(layout) is { Implicit: false })
            {
                error.WriteLine("--layout applies to --format cloudtrail only: OCSF output has Security Lake's layout");
                return ExitCodes.UsageOrRules;
            }

            if (!OptionsCheck.TryValidate(error, pipelineOptions, outputOptions))
            {
                return ExitCodes.UsageOrRules;
            }

            if (outputOptions.ValidateFormat().FirstOrDefault() is { } formatProblem)
            {
                error.WriteLine($"invalid option: {formatProblem}");
                return ExitCodes.UsageOrRules;
            }

            if (LocalInputs.TryEnumerate(parse.GetValue(inputs)!, error) is not { } objects)
            {
                return ExitCodes.UsageOrRules;
            }

            var sink = new LocalDirectorySink(parse.GetValue(output)!);
            var (counters, elapsed) = await LocalRun.RunAsync(
                objects, ruleSet, pipelineOptions, outputOptions, sink, countOnly: false, parse.GetValue(verbose), error, cancellationToken, runtime).ConfigureAwait(false);

            var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"files {counters.Files} (failed {counters.FilesFailed}, skipped {counters.FilesSkipped}), records {counters.Records}, kept {counters.Kept}, dropped {counters.Dropped}, quarantined {counters.Quarantined}, deduplicated {counters.Deduplicated}, filter rate {counters.FilterRate:P1}, outputs {counters.OutputObjects}, {(runtime is null ? string.Empty : $"findings {counters.FindingCount}, ")}{counters.DecodedBytes / 1e6 / seconds:F1} MB/s ({counters.SourceBytes / 1e6 / seconds:F1} MB/s compressed), {elapsed.TotalSeconds:F2} s"));
            return counters.FilesFailed > 0 ? ExitCodes.InputFailed : ExitCodes.Success;
        });
        return command;
    }
}
