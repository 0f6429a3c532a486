using Microsoft.Extensions.Configuration;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Cli;

/// <summary>The options backfill runs with: the configuration's, with the command line applied over them.</summary>
internal sealed record BackfillConfiguration(OutputOptions Output, PipelineOptions Pipeline, RulesOptions Rules, DetectionsOptions Detections, BackfillOptions Backfill)
{
    /// <summary>
    /// The key filter and the expected bucket owner: <c>Sqs:IncludeKeys</c>, <c>Sqs:ExcludeKeys</c> and
    /// <c>Sqs:ExpectedBucketOwner</c> as the service reads them, each replaced by its option when given.
    /// </summary>
    public SourceGuard Guard { get; init; } = SourceGuard.None;

    /// <summary>
    /// The Output, Pipeline, Rules, Detections and Backfill sections and the key filter of the Sqs section as <c>run</c> reads them (appsettings.json, the
    /// environment such as <c>Output__PartBytes</c>, the Go Lambdas' names such as <c>CLOUDTRAIL_OUTPUT_BUCKET_NAME</c>),
    /// with the command line applied over them.
    /// </summary>
    /// <exception cref="ConfigurationException">A configured value does not convert or is out of range; every problem of every section is in it.</exception>
    public static BackfillConfiguration From(IConfiguration configuration, BackfillRequest request)
    {
        var problems = new List<ConfigurationProblem>();
        var output = SectionBinder.TryBind<OutputOptions>(configuration, OutputOptions.SectionName, problems);
        var pipeline = SectionBinder.TryBind<PipelineOptions>(configuration, PipelineOptions.SectionName, problems);
        var rules = SectionBinder.TryBind<RulesOptions>(configuration, RulesOptions.SectionName, problems);
        var detections = SectionBinder.TryBind<DetectionsOptions>(configuration, DetectionsOptions.SectionName, problems);
        var backfill = SectionBinder.TryBind<BackfillOptions>(configuration, BackfillOptions.SectionName, problems);
        problems.AddRange((backfill?.ValidateRelations() ?? []).Select(p => ConfigurationProblem.Parse(p, BackfillOptions.SectionName)));
        var guard = SourceGuardConfiguration.Read(configuration, problems, request.IncludeKeys, request.ExcludeKeys, request.ExpectedBucketOwner);
        if (problems.Count > 0 || output is null || pipeline is null || rules is null || detections is null || backfill is null)
        {
            throw new ConfigurationException(problems);
        }

        if (request.DetectionFiles.Count > 0)
        {
            detections.Source = RulesSource.Local;
            detections.File = string.Join(',', request.DetectionFiles.Select(Path.GetFullPath));
        }

        detections.AlertsPrefix = request.AlertsPrefix ?? detections.AlertsPrefix;
        output.Mode = request.Mode ?? output.Mode;
        output.Format = request.Format ?? output.Format;
        output.KeyTemplate = request.Layout is { } named ? OutputLayouts.KeyTemplate(named) : output.KeyTemplate;
        output.Bucket = request.OutputBucket ?? output.Bucket;
        output.Prefix = request.OutputPrefix ?? output.Prefix;
        output.Encryption = request.Encryption ?? output.Encryption;
        output.KmsKeyId = request.KmsKeyId ?? output.KmsKeyId;
        pipeline.FilterParallelism = request.FilterParallelism ?? pipeline.FilterParallelism;
        problems.AddRange(output.ValidateFormat().Select(p => ConfigurationProblem.Parse(p, OutputOptions.SectionName)));
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return new BackfillConfiguration(output, pipeline, rules, detections, backfill) { Guard = guard };
    }
}
