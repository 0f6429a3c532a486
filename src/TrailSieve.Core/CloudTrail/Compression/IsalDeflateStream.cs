using System.Buffers;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// A write-only stream that compresses what is written to it into one gzip member (ISA-L's <c>isal_deflate</c> with
/// <c>gzip_flag = IGZIP_GZIP</c>: a standard header, the CRC-32 and ISIZE trailer) on <paramref name="destination"/>;
/// disposing it writes the end of the member. Small writes (a record, a comma) are gathered first, since each
/// <c>isal_deflate</c> call has a fixed cost.
/// </summary>
internal sealed unsafe class IsalDeflateStream(Stream destination, IsalDeflaterPool.Deflater deflater, bool leaveOpen) : Stream
{
    private const int BufferSize = 64 * 1024;

    private byte[]? _input = ArrayPool<byte>.Shared.Rent(BufferSize);
    private byte[] _output = ArrayPool<byte>.Shared.Rent(BufferSize);
    private IsalDeflaterPool.Deflater? _deflater = deflater;
    private int _buffered;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _input is not null;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        if (buffer.Length >= BufferSize)
        {
            Compress(_input.AsSpan(0, _buffered), endOfStream: false);
            _buffered = 0;
            Compress(buffer, endOfStream: false);
            return;
        }

        if (_buffered + buffer.Length > BufferSize)
        {
            Compress(_input.AsSpan(0, _buffered), endOfStream: false);
            _buffered = 0;
        }

        buffer.CopyTo(_input.AsSpan(_buffered));
        _buffered += buffer.Length;
    }

    public override void WriteByte(byte value)
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        if (_buffered == BufferSize)
        {
            Compress(_input, endOfStream: false);
            _buffered = 0;
        }

        _input[_buffered++] = value;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && _input is not null && _deflater is not null)
            {
                Compress(_input.AsSpan(0, _buffered), endOfStream: true);
                if (!leaveOpen)
                {
                    destination.Dispose();
                }
            }
        }
        finally
        {
            if (_input is not null)
            {
                ArrayPool<byte>.Shared.Return(_input);
                ArrayPool<byte>.Shared.Return(_output);
                _input = null;
            }

            _deflater?.Return();
            _deflater = null;
            base.Dispose(disposing);
        }
    }

    /// <summary>Feeds <paramref name="data"/> to ISA-L and writes out what it produces; with <paramref name="endOfStream"/>, until the trailer is out.</summary>
    private void Compress(ReadOnlySpan<byte> data, bool endOfStream)
    {
        if (data.IsEmpty && !endOfStream)
        {
            return;
        }

        var stream = _deflater!.Stream;
        fixed (byte* inPtr = data)
        fixed (byte* outPtr = _output)
        {
            *(byte**)(stream + NativeIsal.DeflateNextIn) = inPtr;
            *(uint*)(stream + NativeIsal.DeflateAvailIn) = (uint)data.Length;
            *(ushort*)(stream + NativeIsal.DeflateEndOfStream) = endOfStream ? (ushort)1 : (ushort)0;
            try
            {
                var idle = 0;
                while (true)
                {
                    var before = *(uint*)(stream + NativeIsal.DeflateAvailIn);
                    *(byte**)(stream + NativeIsal.DeflateNextOut) = outPtr;
                    *(uint*)(stream + NativeIsal.DeflateAvailOut) = (uint)_output.Length;
                    var status = NativeIsal.Deflate(stream);
                    if (status != 0)
                    {
                        throw new InvalidOperationException($"isal_deflate failed with status {status}");
                    }

                    var produced = _output.Length - (int)*(uint*)(stream + NativeIsal.DeflateAvailOut);
                    if (produced > 0)
                    {
                        destination.Write(_output, 0, produced);
                    }

                    var done = endOfStream
                        ? *(int*)(stream + NativeIsal.DeflateInternalState) == NativeIsal.ZStateEnd
                        : *(uint*)(stream + NativeIsal.DeflateAvailIn) == 0;
                    if (done)
                    {
                        return;
                    }

                    // ISA-L returns when its input is used up or its output full; a call that does neither, again and
                    // again, would spin here for ever.
                    idle = produced == 0 && *(uint*)(stream + NativeIsal.DeflateAvailIn) == before ? idle + 1 : 0;
                    if (idle > 16)
                    {
                        throw new InvalidOperationException("isal_deflate makes no progress");
                    }
                }
            }
            finally
            {
                *(byte**)(stream + NativeIsal.DeflateNextIn) = null;
                *(byte**)(stream + NativeIsal.DeflateNextOut) = null;
            }
        }
    }
}
