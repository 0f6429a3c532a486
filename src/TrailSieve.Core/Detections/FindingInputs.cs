using TrailSieve.Core.Rules;

namespace TrailSieve.Core.Detections;

/// <summary>
/// What the findings of one record need from it, each worked out at most once however many detections the record
/// hits: its <see cref="EvaluatedFields"/> from the evaluation, the <see cref="FindingFields"/> a finding names (a
/// second scan of the record) and its eventTime.
/// </summary>
internal ref struct FindingInputs(ReadOnlySpan<byte> record, in EvaluatedFields evaluatedFields)
{
    private FindingFields _fields;
    private bool _haveFields;
    private DateTimeOffset? _time;
    private bool _haveTime;

    public ReadOnlySpan<byte> Record { get; } = record;

    public EvaluatedFields EvaluatedFields { get; } = evaluatedFields;

    public FindingFields Fields
    {
        get
        {
            if (!_haveFields)
            {
                _fields = FindingFields.Read(Record);
                _haveFields = true;
            }

            return _fields;
        }
    }

    /// <summary>The record's eventTime, or null when it has none that parses.</summary>
    public DateTimeOffset? Time
    {
        get
        {
            if (!_haveTime)
            {
                _time = FindingFields.TryParseTime(Record, Widen(EvaluatedFields.EventTime), out var time) ? time : null;
                _haveTime = true;
            }

            return _time;
        }
    }

    /// <summary>Evaluated ranges exclude a string's quotes; the time parser wants the token.</summary>
    private static Range Widen(Range range) =>
        range.Equals(default(Range)) ? default : new Range(range.Start.Value - 1, range.End.Value + 1);
}
