using Microsoft.Extensions.Options;

namespace TrailSieve.Worker.Options;

/// <summary>The cross-field rules of the service's options, checked at start with the DataAnnotations.</summary>
internal sealed class ServiceOptionsRelations : IValidateOptions<SqsOptions>, IValidateOptions<OutputOptions>, IValidateOptions<RulesOptions>, IValidateOptions<DetectionsOptions>
{
    public ValidateOptionsResult Validate(string? name, DetectionsOptions options) => Result(options.ValidateRelations());

    public ValidateOptionsResult Validate(string? name, SqsOptions options) => Result(options.ValidateRelations());

    public ValidateOptionsResult Validate(string? name, RulesOptions options) => Result(options.ValidateRelations());

    public ValidateOptionsResult Validate(string? name, OutputOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            failures.Add("Output:Bucket: is required (--output-bucket, CLOUDTRAIL_OUTPUT_BUCKET_NAME)");
        }

        failures.AddRange(options.ValidateFormat());
        if (options.Mode == OutputMode.Batch)
        {
            try
            {
                _ = new Core.Batching.KeyTemplate(options.KeyTemplate);
            }
            catch (FormatException ex)
            {
                failures.Add("Output:KeyTemplate: " + ex.Message);
            }

            if (options.ExactlyOnce && options.ClaimLease is { } lease && lease <= 2 * options.MaxAge)
            {
                failures.Add($"Output:ClaimLease ({options.ClaimLease}) must be more than twice Output:MaxAge ({options.MaxAge}): a batch is committed only within half the lease after its first claim");
            }
        }

        return Result(failures);
    }

    private static ValidateOptionsResult Result(IEnumerable<string> failures)
    {
        var list = failures.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
