using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Detections;

/// <summary>
/// Validated detections from one or more detection files (see <see cref="DetectionSetLoader"/>). Immutable; a rule
/// set takes them in with <see cref="CompiledRuleSet.WithDetections"/>, so one scan of a record serves both.
/// </summary>
public sealed class DetectionSet
{
    internal DetectionSet(IReadOnlyList<Detection> detections, IReadOnlyList<RuleDefinition> definitions, IReadOnlyList<string> warnings)
    {
        Detections = detections;
        Definitions = definitions;
        Warnings = warnings;
    }

    /// <summary>No detections.</summary>
    public static DetectionSet Empty { get; } = new([], [], []);

    /// <summary>Every detection, in file order (files in the order given).</summary>
    public IReadOnlyList<Detection> Detections { get; }

    /// <summary>Non-fatal problems (unknown keys), each naming the file and where.</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal IReadOnlyList<RuleDefinition> Definitions { get; }
}
