using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Hosting;

/// <summary>
/// The bound options as one <c>Section:Key=value</c> list for the start-up log line, with secrets redacted: any key
/// naming a secret, password, token or KMS key shows <c>***</c>. Read from the options classes themselves, so a new
/// option shows up without touching this.
/// </summary>
internal static class EffectiveConfiguration
{
    public const string Redacted = "***";

    private static readonly string[] s_secretMarkers = ["Secret", "Password", "Token", "KmsKeyId"];

    public static string Describe(SqsOptions sqs, PipelineOptions pipeline, OutputOptions output, RulesOptions rules, HealthOptions health, DetectionsOptions? detections = null)
    {
        var text = new StringBuilder();
        Append(text, SqsOptions.SectionName, sqs);
        Append(text, PipelineOptions.SectionName, pipeline);
        Append(text, OutputOptions.SectionName, output);
        Append(text, RulesOptions.SectionName, rules);
        Append(text, HealthOptions.SectionName, health);
        if (detections is not null)
        {
            Append(text, DetectionsOptions.SectionName, detections);
        }

        return text.ToString();
    }

    /// <summary>True for keys whose values are never logged (this covers AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN too).</summary>
    public static bool IsSecret(string key) => s_secretMarkers.Any(marker => key.Contains(marker, StringComparison.OrdinalIgnoreCase));

    private static void Append<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(StringBuilder text, string section, T options)
    {
        foreach (var property in typeof(T).GetProperties())
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = section + ":" + property.Name;
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(key).Append('=').Append(IsSecret(key) ? Redacted : Format(property.GetValue(options)));
        }
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        TimeSpan duration => duration.ToString("c", CultureInfo.InvariantCulture),
        string text when text.Length == 0 || text.Any(char.IsWhiteSpace) => "\"" + text + "\"",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items and not string => "[" + string.Join(",", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
