using System.Text.Json.Serialization;

namespace TrailSieve.Worker.Cli;

/// <summary>The <c>dryrun --json</c> document.</summary>
internal sealed record DryRunReport(
    [property: JsonPropertyName("records")] long Records,
    [property: JsonPropertyName("kept")] long Kept,
    [property: JsonPropertyName("dropped")] long Dropped,
    [property: JsonPropertyName("filterRate")] double FilterRate,
    [property: JsonPropertyName("rules")] IReadOnlyDictionary<string, long> Rules,
    [property: JsonPropertyName("detections"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, long>? Detections = null);
