using System.Text.Json.Serialization;

namespace TrailSieve.Worker.Cli;

/// <summary>The source-generated JSON serializer of <see cref="DryRunReport"/>.</summary>
[JsonSerializable(typeof(DryRunReport))]
internal sealed partial class DryRunJsonContext : JsonSerializerContext;
