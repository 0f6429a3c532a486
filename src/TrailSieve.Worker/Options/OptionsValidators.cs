using Microsoft.Extensions.Options;

namespace TrailSieve.Worker.Options;

/// <summary>Source-generated DataAnnotations validators, one per options class.</summary>
[OptionsValidator]
internal sealed partial class SqsOptionsValidator : IValidateOptions<SqsOptions>;

[OptionsValidator]
internal sealed partial class PipelineOptionsValidator : IValidateOptions<PipelineOptions>;

[OptionsValidator]
internal sealed partial class OutputOptionsValidator : IValidateOptions<OutputOptions>;

[OptionsValidator]
internal sealed partial class RulesOptionsValidator : IValidateOptions<RulesOptions>;

[OptionsValidator]
internal sealed partial class DetectionsOptionsValidator : IValidateOptions<DetectionsOptions>;
