namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// An incremental gzip decoder of one <see cref="GzipCodec"/>: reads concatenated members, verifies each member's
/// CRC-32 and length, and reports truncation and trailing bytes instead of treating them as end of data. The member
/// boundaries are handled here, once for every codec; a codec decodes one member at a time.
/// </summary>
public abstract class GzipInflater : IDisposable
{
    private bool _memberEnded;

    /// <summary>True between members: the last member ended cleanly and no byte of a next one was consumed.</summary>
    public bool AtMemberBoundary => _memberEnded;

    /// <summary>
    /// Inflates from <paramref name="input"/> into <paramref name="output"/>. At a member boundary, a next member
    /// (magic <c>1f 8b</c>) starts a new inflate; anything else is trailing data. Called with no input, it writes what
    /// the decoder still holds (nothing, when it holds nothing).
    /// </summary>
    /// <exception cref="CloudTrailFormatException">Corrupt data (<see cref="CloudTrailErrorKind.CorruptGzip"/>: a bad
    /// header, bad deflate data, a CRC-32 or length mismatch) or bytes after a member that start no member
    /// (<see cref="CloudTrailErrorKind.TrailingData"/>).</exception>
    public void Inflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        if (_memberEnded)
        {
            if (input.IsEmpty)
            {
                return;
            }

            if (input[0] != 0x1f || (input.Length > 1 && input[1] != 0x8b))
            {
                throw new CloudTrailFormatException(CloudTrailErrorKind.TrailingData, "unexpected bytes after the end of the gzip data");
            }

            ResetMember();
            _memberEnded = false;
        }

        _memberEnded = InflateMember(input, output, out consumed, out written);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Decodes within the current member; true when its trailer has been read and checked.</summary>
    /// <exception cref="CloudTrailFormatException">The member is corrupt (<see cref="CloudTrailErrorKind.CorruptGzip"/>).</exception>
    protected abstract bool InflateMember(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written);

    /// <summary>Makes the decoder ready for the next member's header.</summary>
    protected abstract void ResetMember();

    protected abstract void Dispose(bool disposing);
}
