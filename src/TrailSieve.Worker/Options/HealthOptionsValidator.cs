using Microsoft.Extensions.Options;

namespace TrailSieve.Worker.Options;

/// <summary>Source-generated DataAnnotations validator of <see cref="HealthOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class HealthOptionsValidator : IValidateOptions<HealthOptions>;
