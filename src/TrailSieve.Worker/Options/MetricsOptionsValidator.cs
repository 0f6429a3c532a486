using Microsoft.Extensions.Options;

namespace TrailSieve.Worker.Options;

/// <summary>Source-generated DataAnnotations validator of <see cref="MetricsOptions"/> (it also runs its <c>Validate</c>).</summary>
[OptionsValidator]
internal sealed partial class MetricsOptionsValidator : IValidateOptions<MetricsOptions>;
