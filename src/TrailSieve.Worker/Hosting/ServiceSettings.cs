using Microsoft.Extensions.Options;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The validated options the service runs with, one object instead of six constructor parameters. Read lazily:
/// the host validates every options class before the service starts.
/// </summary>
internal sealed class ServiceSettings(
    IOptions<SqsOptions> sqs,
    IOptions<PipelineOptions> pipeline,
    IOptions<OutputOptions> output,
    IOptions<RulesOptions> rules,
    IOptions<HealthOptions> health,
    IOptions<DetectionsOptions> detections)
{
    public SqsOptions Sqs => sqs.Value;

    public PipelineOptions Pipeline => pipeline.Value;

    public OutputOptions Output => output.Value;

    public RulesOptions Rules => rules.Value;

    public HealthOptions Health => health.Value;

    public DetectionsOptions Detections => detections.Value;

    /// <summary>The effective configuration line logged at start (secrets never appear in it).</summary>
    public string Describe() => EffectiveConfiguration.Describe(Sqs, Pipeline, Output, Rules, Health, Detections);
}
