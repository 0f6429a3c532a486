using System.Runtime.InteropServices;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>The <see cref="GzipInflater"/> over the runtime's zlib-ng (<see cref="NativeZLib"/>).</summary>
internal sealed unsafe class ZlibInflater : GzipInflater
{
    private NativeZLib.ZStream* _stream;

    public ZlibInflater()
    {
        _stream = (NativeZLib.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(NativeZLib.ZStream));
        Init();
    }

    protected override bool InflateMember(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
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
            return status switch
            {
                NativeZLib.Ok or NativeZLib.BufferError => false,
                NativeZLib.StreamEnd => true,
                _ => throw new CloudTrailFormatException(CloudTrailErrorKind.CorruptGzip, $"corrupt gzip data ({Describe(status)})"),
            };
        }
    }

    protected override void ResetMember()
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        End();
        Init();
    }

    protected override void Dispose(bool disposing)
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
