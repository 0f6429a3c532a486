using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TrailSieve.Core.Rules;

/// <summary>
/// One validated match. Case-sensitive <c>equals</c>/<c>in</c>/<c>prefix</c> compare UTF-8 bytes (unescaping only when
/// the value has escapes); a regex or <c>ignore_case</c> needs chars, transcoded into a stack or pooled buffer.
/// <c>cidr</c> stands alone in its match: it hits an IP address inside one of its networks, and a value that is not
/// an IP address (a missing field, <c>AWS Internal</c>, a service name) misses even under <c>not: true</c>, so
/// <c>cidr</c> + <c>not</c> means "an IP address outside these networks".
/// </summary>
internal sealed class CompiledMatch
{
    private const int StackBufferSize = 256;

    private readonly Regex? _regex;
    private readonly byte[]? _equalsUtf8;
    private readonly byte[][]? _inUtf8;
    private readonly byte[]? _prefixUtf8;
    private readonly string? _equalsText;
    private readonly string[]? _inText;
    private readonly string? _prefixText;
    private readonly CidrRange[]? _cidrs;
    private readonly bool? _exists;
    private readonly bool _not;
    private readonly bool _hasValueOperators;
    private readonly bool _needsBytes;
    private readonly bool _needsChars;

    public CompiledMatch(int leafId, Regex? regex, string? equalsValue, IReadOnlyList<string>? inValues, string? prefix, bool? exists, bool not, bool ignoreCase, CidrRange[]? cidrs = null)
    {
        LeafId = leafId;
        _cidrs = cidrs;
        _regex = regex;
        _exists = exists;
        _not = not;
        _hasValueOperators = regex is not null || equalsValue is not null || inValues is not null || prefix is not null;
        var hasTextOperators = equalsValue is not null || inValues is not null || prefix is not null;
        if (ignoreCase)
        {
            _equalsText = equalsValue;
            _inText = inValues is null ? null : [.. inValues];
            _prefixText = prefix;
        }
        else
        {
            _equalsUtf8 = equalsValue is null ? null : Encoding.UTF8.GetBytes(equalsValue);
            _prefixUtf8 = prefix is null ? null : Encoding.UTF8.GetBytes(prefix);
            if (inValues is not null)
            {
                _inUtf8 = new byte[inValues.Count][];
                for (var i = 0; i < inValues.Count; i++)
                {
                    _inUtf8[i] = Encoding.UTF8.GetBytes(inValues[i]);
                }
            }
        }

        _needsBytes = hasTextOperators && !ignoreCase;
        RequiredValues = leafId < 0 ? null : MatchDefinition.RequiredValuesOf(equalsValue, inValues, not, ignoreCase, exists, cidrs is not null)?.Select(Encoding.UTF8.GetBytes).ToArray();
        _needsChars = regex is not null || (hasTextOperators && ignoreCase);
    }

    /// <summary>The capture list this match reads, or -1 for a disabled rule's match (never evaluated).</summary>
    public int LeafId { get; }

    /// <summary>
    /// The values one of which the field must have, byte for byte, for this match to hit
    /// (<see cref="MatchDefinition.RequiredValuesOf"/>), or null when hitting needs no such value.
    /// <see cref="RuleIndex"/> uses it to skip the rules a record cannot fire.
    /// </summary>
    public byte[][]? RequiredValues { get; }

    public bool IsHit(ReadOnlySpan<byte> record, ReadOnlySpan<int> heads, ReadOnlySpan<CapturedValue> captures)
    {
        var head = heads[LeafId];
        if (_cidrs is not null)
        {
            return CidrHit(record, head, captures);
        }

        bool hit;
        if (head < 0)
        {
            // A missing field never matches, except as the subject of 'exists: false'.
            hit = _exists == false && !_hasValueOperators;
        }
        else if (_exists == false)
        {
            hit = false;
        }
        else if (!_hasValueOperators)
        {
            hit = true;
        }
        else
        {
            hit = false;
            for (var i = head; i >= 0; i = captures[i].Next)
            {
                if (ValueHits(record, captures[i]))
                {
                    hit = true;
                    break;
                }
            }
        }

        return hit != _not;
    }

    private bool CidrHit(ReadOnlySpan<byte> record, int head, ReadOnlySpan<CapturedValue> captures)
    {
        var sawAddress = false;
        for (var i = head; i >= 0; i = captures[i].Next)
        {
            var capture = captures[i];
            // An IP address has nothing to escape: an escaped string is never one.
            if (capture.Kind != JsonTokenType.String || capture.Escaped
                || !CidrRange.TryParseAddress(record.Slice(capture.Start, capture.Length), out var isV4, out var address))
            {
                continue;
            }

            sawAddress = true;
            foreach (var range in _cidrs!)
            {
                if (range.Contains(isV4, address))
                {
                    return !_not;
                }
            }
        }

        return sawAddress && _not;
    }

    private bool ValueHits(ReadOnlySpan<byte> record, in CapturedValue capture)
    {
        if (capture.Kind is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False))
        {
            return false;
        }

        var raw = record.Slice(capture.Start, capture.Length);
        if (_needsBytes)
        {
            byte[]? rented = null;
            try
            {
                scoped ReadOnlySpan<byte> bytes = raw;
                if (capture.Escaped)
                {
                    Span<byte> buffer = raw.Length <= StackBufferSize
                        ? stackalloc byte[StackBufferSize]
                        : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
                    var reader = QuotedReader(record, capture);
                    bytes = buffer[..reader.CopyString(buffer)];
                }

                if (!BytesHit(bytes))
                {
                    return false;
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        if (_needsChars)
        {
            char[]? rented = null;
            try
            {
                Span<char> buffer = raw.Length <= StackBufferSize
                    ? stackalloc char[StackBufferSize]
                    : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
                int length;
                if (capture.Escaped)
                {
                    var reader = QuotedReader(record, capture);
                    length = reader.CopyString(buffer);
                }
                else
                {
                    length = Encoding.UTF8.GetChars(raw, buffer);
                }

                return CharsHit(buffer[..length]);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        return true;
    }

    /// <summary>A reader positioned on the escaped string token, to unescape it with CopyString.</summary>
    private static Utf8JsonReader QuotedReader(ReadOnlySpan<byte> record, in CapturedValue capture)
    {
        var reader = new Utf8JsonReader(record.Slice(capture.Start - 1, capture.Length + 2));
        reader.Read();
        return reader;
    }

    private bool BytesHit(ReadOnlySpan<byte> value)
    {
        if (_equalsUtf8 is not null && !value.SequenceEqual(_equalsUtf8))
        {
            return false;
        }

        if (_prefixUtf8 is not null && !value.StartsWith(_prefixUtf8))
        {
            return false;
        }

        if (_inUtf8 is not null)
        {
            foreach (var candidate in _inUtf8)
            {
                if (value.SequenceEqual(candidate))
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    private bool CharsHit(ReadOnlySpan<char> value)
    {
        if (_equalsText is not null && !value.Equals(_equalsText, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (_prefixText is not null && !value.StartsWith(_prefixText, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (_inText is not null)
        {
            var any = false;
            foreach (var candidate in _inText)
            {
                if (value.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                {
                    any = true;
                    break;
                }
            }

            if (!any)
            {
                return false;
            }
        }

        return _regex is null || _regex.IsMatch(value);
    }
}
