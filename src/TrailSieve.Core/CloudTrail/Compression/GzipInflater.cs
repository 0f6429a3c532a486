using System.Runtime.InteropServices;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// Incremental gzip decoder over the runtime's zlib: reads concatenated members, verifies each member's CRC-32 and
/// length, and reports truncation and trailing bytes instead of treating them as end of data.
/// </summary>
internal sealed unsafe class GzipInflater : IDisposable
{
    private NativeZLib.ZStream* _stream;
    private bool _memberEnded;

    public GzipInflater()
    {
        _stream = (NativeZLib.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(NativeZLib.ZStream));
        Init();
    }

    /// <summary>True between members: the last member ended cleanly and no byte of a next one was consumed.</summary>
    public bool AtMemberBoundary => _memberEnded;

    /// <summary>
    /// Inflates from <paramref name="input"/> into <paramref name="output"/>. At a member boundary, a next member
    /// (magic <c>1f 8b</c>) starts a new inflate; anything else is trailing data.
    /// </summary>
    public void Inflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
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

            End();
            Init();
        }

        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            _stream->NextIn = inPtr;
            _stream->AvailIn = (uint)input.Length;
            _stream->NextOut = outPtr;
            _stream->AvailOut = (uint)output.Length;
            var status = NativeZLib.Inflate(_stream, NativeZLib.NoFlush);
            consumed = input.Length - (int)_stream->AvailIn;
            written = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->NextOut = null;
            switch (status)
            {
                case NativeZLib.Ok:
                case NativeZLib.BufferError:
                    break;
                case NativeZLib.StreamEnd:
                    _memberEnded = true;
                    break;
                default:
                    throw new CloudTrailFormatException(CloudTrailErrorKind.CorruptGzip, $"corrupt gzip data ({Describe(status)})");
            }
        }
    }

    public void Dispose()
    {
        if (_stream is null)
        {
            return;
        }

        End();
        NativeMemory.Free(_stream);
        _stream = null;
    }

    private void Init()
    {
        var status = NativeZLib.InflateInit2(_stream, NativeZLib.GzipWindowBits);
        if (status != NativeZLib.Ok)
        {
            throw new InvalidOperationException($"zlib inflateInit2 failed with status {status}");
        }

        _memberEnded = false;
    }

    private void End() => _ = NativeZLib.InflateEnd(_stream); // Only frees zlib's state; nothing to act on.

    private string Describe(int status)
    {
        var message = _stream->Message is null ? null : Marshal.PtrToStringUTF8((IntPtr)_stream->Message);
        return status switch
        {
            NativeZLib.NeedDictionary => "a preset dictionary is required",
            _ when message is not null => message,
            _ => $"zlib status {status}",
        };
    }
}
