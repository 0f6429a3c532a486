using System.Buffers;
using System.Text.Json;

namespace TrailSieve.Core.Rules;

/// <summary>
/// Per-evaluation scratch: for each referenced path the head of its capture list, the captures themselves in a pooled
/// array, and the ranges of the <see cref="EvaluatedFields"/>. Lives on the stack of one <see cref="CompiledRuleSet.Evaluate(ReadOnlySpan{byte}, out EvaluatedFields, Span{int}, out int)"/> call.
/// </summary>
internal ref struct EvaluationState
{
    public const int RecipientAccountIdSlot = 0;
    public const int AwsRegionSlot = 1;
    public const int EventTimeSlot = 2;
    public const int EventIdSlot = 3;
    public const int IdentityAccountIdSlot = 4;
    public const int FieldSlotCount = 5;

    private CapturedValue[] _captures;
    private int _count;
    private Range _recipientAccountId;
    private Range _awsRegion;
    private Range _eventTime;
    private Range _eventId;
    private Range _identityAccountId;

    public EvaluationState(Span<int> heads, CapturedValue[] captures)
    {
        Heads = heads;
        _captures = captures;
    }

    public Span<int> Heads { get; }

    /// <summary>The pooled capture array (possibly replaced by a larger one); the caller returns it to the pool.</summary>
    public readonly CapturedValue[] CaptureArray => _captures;

    public readonly ReadOnlySpan<CapturedValue> Captures => _captures.AsSpan(0, _count);

    /// <summary>Adds a capture to the list of <paramref name="leafId"/>; returns its index (for <see cref="SetLength"/>).</summary>
    public int Add(int leafId, int start, int length, JsonTokenType kind, bool escaped)
    {
        if (_count == _captures.Length)
        {
            var larger = ArrayPool<CapturedValue>.Shared.Rent(Math.Max(16, _captures.Length * 2));
            _captures.AsSpan(0, _count).CopyTo(larger);
            if (_captures.Length > 0)
            {
                ArrayPool<CapturedValue>.Shared.Return(_captures);
            }

            _captures = larger;
        }

        _captures[_count] = new CapturedValue(start, length, kind, escaped, Heads[leafId]);
        Heads[leafId] = _count;
        return _count++;
    }

    /// <summary>Sets the length of capture <paramref name="index"/>: a Sigma node's object or array, once its end is read.</summary>
    public void SetLength(int index, int length) => _captures[index] = _captures[index] with { Length = length };

    public void SetField(int slot, Range range)
    {
        switch (slot)
        {
            case RecipientAccountIdSlot: _recipientAccountId = range; break;
            case AwsRegionSlot: _awsRegion = range; break;
            case EventTimeSlot: _eventTime = range; break;
            case EventIdSlot: _eventId = range; break;
            default: _identityAccountId = range; break;
        }
    }

    public readonly EvaluatedFields EvaluatedFields()
    {
        var account = _recipientAccountId.Equals(default(Range)) ? _identityAccountId : _recipientAccountId;
        return new EvaluatedFields(account, _awsRegion, _eventTime, _eventId);
    }
}
