using System.Text;
using TrailSieve.Analytics.Engine;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Rules;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// The high-risk actions a report counts: every enabled detection of a detection pack, by default the shipped
/// <c>rules/detections/high-risk.yaml</c> (embedded at build time), so the report lists whatever the pack holds. Each
/// detection is evaluated by the detection engine itself on the records, so a detection on any field counts right.
/// </summary>
/// <remarks>
/// Records are read back from the engine's columns, not their original bytes (Parquet has none): a detection on a
/// field outside the table's columns, or on a field that is JSON null, does not hit here. Thresholds are not applied:
/// the report counts the records each detection matches.
/// </remarks>
internal sealed class HighRiskPack
{
    private const string ResourceName = "TrailSieve.Analytics.high-risk.yaml";

    private readonly CompiledRuleSet _rules;
    private readonly int[] _enabled;
    private readonly HashSet<string> _fields;

    public HighRiskPack(DetectionSet detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        _rules = CompiledRuleSet.KeepAll.WithDetections(detections);
        var scopes = Enumerable.Range(0, detections.Detections.Count).Select(i => (Index: i, Scope: DetectionEventScope.Of(detections, i))).ToList();
        _enabled = [.. scopes.Where(s => s.Scope.Enabled).Select(s => s.Index)];
        Names = [.. _enabled.Select(i => detections.Detections[i].Name)];
        CandidateCondition = Candidates(scopes.Where(s => s.Scope.Enabled).Select(s => s.Scope).ToList());
        _fields = new HashSet<string>(scopes.Where(s => s.Scope.Enabled).SelectMany(s => s.Scope.Fields), StringComparer.Ordinal);
    }

    /// <summary>The pack that ships in <c>rules/detections/high-risk.yaml</c>.</summary>
    public static HighRiskPack Shipped { get; } = new(LoadShipped());

    /// <summary>The enabled detections' names, in file order: the report's rows.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// A condition on the <c>cloudtrail</c> view that every record a detection can hit meets (from the detections'
    /// eventSource/eventName values), so only those are read back and evaluated; <c>true</c> when a detection can hit
    /// any record.
    /// </summary>
    public string CandidateCondition { get; }

    /// <summary>
    /// A column of the <c>cloudtrail</c> view: the record as JSON (<see cref="CloudTrailSchema.RecordJson"/>, only the
    /// fields the detections read) where <see cref="CandidateCondition"/> holds, else NULL, so only candidates are
    /// turned back into JSON.
    /// </summary>
    public string CandidateRecord => $"CASE WHEN {CandidateCondition} THEN {CloudTrailSchema.RecordJson(_fields)} END";

    /// <summary>Zero counts for every detection, to add records to.</summary>
    public HighRiskTally Tally() => new(this);

    /// <summary>Indices (into the pack's detections) of the detections that hit one record, in file order.</summary>
    internal int Evaluate(ReadOnlySpan<byte> record, Span<int> hits)
    {
        _rules.Evaluate(record, out _, hits, out var count);
        return count;
    }

    internal int DetectionCount => _rules.DetectionCount;

    /// <summary>Position of a detection among <see cref="Names"/>, or -1 when it is disabled.</summary>
    internal int Row(int detection) => Array.IndexOf(_enabled, detection);

    private static string Candidates(List<DetectionEventScope> scopes)
    {
        if (scopes.Count == 0)
        {
            return "false";
        }

        if (scopes.Any(s => s.EventSources is null && s.EventNames is null))
        {
            return "true";
        }

        var alternatives = scopes.Select(s => string.Join(" AND ", new[] { In("eventsource", s.EventSources), In("eventname", s.EventNames) }.OfType<string>()));
        return "(" + string.Join(" OR ", alternatives.Distinct(StringComparer.Ordinal).Select(a => $"({a})")) + ")";
    }

    private static string? In(string column, IReadOnlyList<string>? values) =>
        values is null ? null : values.Count == 0 ? "false" : $"{column} IN ({string.Join(", ", values.Select(Sql.Literal))})";

    private static DetectionSet LoadShipped()
    {
        using var stream = typeof(HighRiskPack).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded detection pack {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return DetectionSetLoader.Load(reader.ReadToEnd(), "rules/detections/high-risk.yaml");
    }
}
