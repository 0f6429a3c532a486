using System.ComponentModel.DataAnnotations;

namespace TrailSieve.Worker.Options;

/// <summary>CloudWatch metrics written as Embedded Metric Format documents on stdout. Section <c>Metrics</c>.</summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string SectionName = "Metrics";

    /// <summary>Most fixed dimensions: CloudWatch allows 30 per metric and a document may add one of its own (ErrorType, Rule).</summary>
    public const int MaxFixedDimensions = 10;

    /// <summary>Whether EMF documents are written (<c>METRICS_ENABLED</c>). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>CloudWatch namespace of every metric (<c>METRICS_NAMESPACE</c>). Default "TrailSieve"; 1 to 255 characters.</summary>
    [Required]
    [StringLength(255, MinimumLength = 1)]
    public string Namespace { get; set; } = "TrailSieve";

    /// <summary>How often the interval's aggregates are written. Default 60 s; 1 s to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fixed dimensions added to every document (for example <c>Mode=batch</c>). Default none; at most
    /// <see cref="MaxFixedDimensions"/>; names 1 to 255 ASCII characters, not starting with ':' nor named "_aws";
    /// values 1 to 1,024 ASCII characters.
    /// </summary>
    public Dictionary<string, string> Dimensions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The dimension rules DataAnnotations cannot express (run by the source-generated validator).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Dimensions.Count > MaxFixedDimensions)
        {
            yield return new ValidationResult($"Metrics:Dimensions has {Dimensions.Count} entries; at most {MaxFixedDimensions} are allowed", [nameof(Dimensions)]);
        }

        foreach (var (name, value) in Dimensions)
        {
            if (!IsDimensionText(name, 255) || name.StartsWith(':') || name == "_aws")
            {
                yield return new ValidationResult($"Metrics:Dimensions name '{name}' must be 1 to 255 printable ASCII characters, not start with ':' and not be '_aws'", [nameof(Dimensions)]);
            }

            if (!IsDimensionText(value, 1024))
            {
                yield return new ValidationResult($"Metrics:Dimensions:{name} value must be 1 to 1024 printable ASCII characters with one non-blank", [nameof(Dimensions)]);
            }
        }
    }

    private static bool IsDimensionText(string? text, int maxLength) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= maxLength && text.All(c => c is >= ' ' and <= '~');
}
