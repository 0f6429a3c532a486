using System.Text;
using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Detections;

/// <summary>
/// Turns the detection hits of one record (from <see cref="CompiledRuleSet.Evaluate(ReadOnlySpan{byte}, out EvaluatedFields, Span{int}, out int)"/>)
/// and a decision by an <c>action: tag</c> rule into findings: a plain detection raises one per hit; a threshold
/// detection goes through the shared <see cref="ThresholdTracker"/> and raises one only when it fires. Only records
/// that hit come here, so this path may allocate. Thread-safe (the tracker locks).
/// </summary>
public sealed class DetectionEngine(ThresholdTracker tracker)
{
    public ThresholdTracker Tracker { get; } = tracker;

    /// <summary>
    /// Raises the findings of <paramref name="hits"/> into <paramref name="findings"/>; returns how many threshold hits
    /// were too late to count (or had no eventTime), how many threshold groups were evicted to make room, and how
    /// many threshold hits were skipped because a <c>group_by</c> field had no value.
    /// </summary>
    public (int LateHits, int EvictedGroups, int UngroupedHits) Raise(DetectionSet detections, ReadOnlySpan<byte> record, in EvaluatedFields fields, ReadOnlySpan<int> hits, string source, ChunkFindings findings)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(findings);
        var late = 0;
        var evicted = 0;
        var ungrouped = 0;
        var inputs = new FindingInputs(record, fields);
        foreach (var index in hits)
        {
            var detection = detections.Detections[index];
            if (detections.RaisesOwnFindings(index))
            {
                Observe(detection, null, ref inputs, record, fields, source, findings, ref late, ref evicted, ref ungrouped);
            }

            foreach (var correlation in detections.CorrelationsFedBy(index))
            {
                Observe(detections.Detections[correlation], detection, ref inputs, record, fields, source, findings, ref late, ref evicted, ref ungrouped);
            }
        }

        return (late, evicted, ungrouped);
    }

    /// <summary>
    /// One hit of <paramref name="detection"/>: a finding for a plain detection, a count for a threshold detection,
    /// or, when <paramref name="feeder"/> is the Sigma rule that hit, a count for the correlation
    /// <paramref name="detection"/>: event_count counts events, value_count distinct values of its field, temporal
    /// distinct rules of its list.
    /// </summary>
    private void Observe(Detection detection, Detection? feeder, ref FindingInputs inputs, ReadOnlySpan<byte> record, in EvaluatedFields fields, string source, ChunkFindings findings, ref int late, ref int evicted, ref int ungrouped)
    {
        if (detection.Threshold is not { } spec)
        {
            Add(findings, ref inputs, detection, source, null);
            return;
        }

        if (!TryGroupOf(record, spec, out var group))
        {
            // A missing field never matches: a record without a group_by value belongs to no group (one shared
            // group of all such records would fire on hits that have nothing in common).
            ungrouped++;
            return;
        }

        if (inputs.Time is not { } eventTime)
        {
            // No window can hold a hit without a time: it counts with the late ones.
            late++;
            return;
        }

        var id = ThresholdTracker.HashEventId(record[fields.EventId]);
        ulong key;
        switch (detection.Correlation)
        {
            case { Kind: SigmaCorrelationKind.ValueCount, ValueField: { } valueField }:
                if (!FindingFields.TryGetValueAt(record, valueField, out var value))
                {
                    ungrouped++;
                    return;
                }

                key = ThresholdTracker.HashEventId(System.Text.Encoding.UTF8.GetBytes(value));
                break;
            case { Kind: SigmaCorrelationKind.Temporal } temporal when feeder?.Sigma is { } sigma:
                key = (ulong)RuleOrdinal(temporal, sigma) + 1;

                // One event can be a hit of several rules of a temporal correlation: each counts once.
                id = id == 0 ? 0 : (id * 31) + key;
                break;
            default:
                key = id;
                break;
        }

        var result = detection.Correlation is null || detection.Correlation.Kind == SigmaCorrelationKind.EventCount
            ? Tracker.Observe(detection.Name, spec, group, eventTime, id)
            : Tracker.Observe(detection.Name, spec, group, eventTime, id, key);
        evicted += result.EvictedGroups;
        if (result.Outcome == ThresholdOutcome.Late)
        {
            late++;
        }
        else if (result.Outcome == ThresholdOutcome.Fired)
        {
            Add(findings, ref inputs, detection, source, new ThresholdWindow(group, result.Count, spec.Window, result.WindowStart, result.WindowEnd));
        }
    }

    private static int RuleOrdinal(SigmaCorrelation correlation, SigmaInfo rule)
    {
        for (var i = 0; i < correlation.Rules.Count; i++)
        {
            if (correlation.Rules[i] == rule.RuleName || (rule.Id.Length > 0 && correlation.Rules[i] == rule.Id))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>Raises the finding of an <c>action: tag</c> rule: named after the rule, its severity or else medium.</summary>
    public static void RaiseTag(string ruleName, string? severity, ReadOnlySpan<byte> record, in EvaluatedFields fields, string source, ChunkFindings findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var detection = new Detection(ruleName, severity ?? Severity.Medium, "tagged by filter rule", null, "rules");
        var inputs = new FindingInputs(record, fields);
        Add(findings, ref inputs, detection, source, null);
    }

    /// <summary>
    /// The group_by values joined by <c>|</c>, or empty with no group_by; false when any of them has no value (missing,
    /// null, an object or an array).
    /// </summary>
    private static bool TryGroupOf(ReadOnlySpan<byte> record, ThresholdSpec spec, out string group)
    {
        group = string.Empty;
        if (spec.GroupBy.Count == 0)
        {
            return true;
        }

        if (spec.GroupBy.Count == 1)
        {
            return FindingFields.TryGetValueAt(record, spec.GroupBy[0], out group);
        }

        var builder = new StringBuilder();
        for (var i = 0; i < spec.GroupBy.Count; i++)
        {
            if (!FindingFields.TryGetValueAt(record, spec.GroupBy[i], out var value))
            {
                return false;
            }

            if (i > 0)
            {
                builder.Append('|');
            }

            builder.Append(value);
        }

        group = builder.ToString();
        return true;
    }

    private static void Add(ChunkFindings findings, ref FindingInputs inputs, Detection detection, string source, ThresholdWindow? window)
    {
        var start = findings.Writer.WrittenCount;
        FindingWriter.Write(findings.Json, findings.Writer, inputs.Record, inputs.Fields, detection, source, window);
        DateOnly? day = inputs.Time is { } time ? DateOnly.FromDateTime(time.UtcDateTime) : null;
        findings.Add(new Finding(detection, Text(inputs.Record, inputs.EvaluatedFields.EventId), Text(inputs.Record, inputs.EvaluatedFields.RecipientAccountId), day, start, findings.Writer.WrittenCount - start));
    }

    private static string Text(ReadOnlySpan<byte> record, Range range) =>
        range.Equals(default(Range)) ? string.Empty : Encoding.UTF8.GetString(record[range]);
}
