using Microsoft.Extensions.Configuration;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Cli;

/// <summary>The options backfill runs with: the configuration's, with the command line applied over them.</summary>
internal sealed record BackfillConfiguration(OutputOptions Output, PipelineOptions Pipeline, RulesOptions Rules, DetectionsOptions Detections, BackfillOptions Backfill)
{
    /// <summary>
    /// The Output, Pipeline, Rules, Detections and Backfill sections as <c>run</c> reads them (appsettings.json, the
    /// environment such as <c>Output__PartBytes</c>, the Go Lambdas' names such as <c>CLOUDTRAIL_OUTPUT_BUCKET_NAME</c>),
    /// with the command line applied over them.
    /// </summary>
    public static BackfillConfiguration From(IConfiguration configuration, BackfillRequest request)
    {
        var output = configuration.Section<OutputOptions>(OutputOptions.SectionName);
        var pipeline = configuration.Section<PipelineOptions>(PipelineOptions.SectionName);
        var rules = configuration.Section<RulesOptions>(RulesOptions.SectionName);
        var detections = configuration.Section<DetectionsOptions>(DetectionsOptions.SectionName);
        var backfill = configuration.Section<BackfillOptions>(BackfillOptions.SectionName);
        if (request.DetectionFiles.Count > 0)
        {
            detections.Source = RulesSource.Local;
            detections.File = string.Join(',', request.DetectionFiles.Select(Path.GetFullPath));
        }

        detections.AlertsPrefix = request.AlertsPrefix ?? detections.AlertsPrefix;
        output.Mode = request.Mode ?? output.Mode;
        output.KeyTemplate = request.Layout is { } named ? OutputLayouts.KeyTemplate(named) : output.KeyTemplate;
        output.Bucket = request.OutputBucket ?? output.Bucket;
        output.Prefix = request.OutputPrefix ?? output.Prefix;
        output.Encryption = request.Encryption ?? output.Encryption;
        output.KmsKeyId = request.KmsKeyId ?? output.KmsKeyId;
        pipeline.FilterParallelism = request.FilterParallelism ?? pipeline.FilterParallelism;
        return new BackfillConfiguration(output, pipeline, rules, detections, backfill);
    }
}
