using System.Buffers;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// A read-only stream over an object's bytes that gunzips them when they start with the gzip magic <c>1f 8b</c> and
/// passes them through otherwise, whatever the name, Content-Type or Content-Encoding says.
/// </summary>
/// <remarks>Counts the compressed bytes read from the source, for throughput and metrics. Decodes with the
/// <see cref="GzipCodec"/> it is given (zlib when none is).</remarks>
public sealed class DecodingStream : Stream
{
    private const int InputBufferSize = 64 * 1024;

    private readonly Stream _source;
    private readonly GzipCodec _codec;
    private readonly bool _leaveOpen;
    private byte[]? _input;
    private int _inputStart;
    private int _inputEnd;
    private bool _sourceEnded;
    private bool? _isGzip;
    private GzipInflater? _inflater;
    private long _sourceBytes;
    private long _decodedBytes;

    public DecodingStream(Stream source, bool leaveOpen = false)
        : this(source, GzipCodec.Zlib, leaveOpen)
    {
    }

    public DecodingStream(Stream source, GzipCodec codec, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(codec);
        _source = source;
        _codec = codec;
        _leaveOpen = leaveOpen;
        _input = ArrayPool<byte>.Shared.Rent(InputBufferSize);
    }

    /// <summary>Bytes read from the source so far (compressed size for gzip input).</summary>
    public long SourceBytes => _sourceBytes;

    /// <summary>Bytes returned to the reader so far (the decoded size).</summary>
    public long DecodedBytes => _decodedBytes;

    /// <summary>Whether the content is gzip; null until the first read.</summary>
    public bool? IsGzip => _isGzip;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (NeedsInput)
            {
                Fill(_source.Read(PrepareFill()));
            }

            if (TryDecode(buffer, out var written))
            {
                return written;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (NeedsInput)
            {
                var free = PrepareFill();
                Fill(await _source.ReadAsync(_input.AsMemory(_inputEnd, free.Length), cancellationToken).ConfigureAwait(false));
            }

            if (TryDecode(buffer.Span, out var written))
            {
                return written;
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflater?.Dispose();
            _inflater = null;
            if (_input is not null)
            {
                ArrayPool<byte>.Shared.Return(_input);
                _input = null;
            }

            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Buffered bytes are used up, or the gzip magic has not been seen whole yet.</summary>
    private bool NeedsInput => !_sourceEnded && (_inputStart == _inputEnd || (_isGzip is null && _inputEnd - _inputStart < 2));

    /// <summary>Moves what is left (at most the first byte of the magic) to the front; returns the free space.</summary>
    private Span<byte> PrepareFill()
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        var left = _inputEnd - _inputStart;
        if (left > 0 && _inputStart > 0)
        {
            _input.AsSpan(_inputStart, left).CopyTo(_input);
        }

        _inputStart = 0;
        _inputEnd = left;
        return _input.AsSpan(_inputEnd);
    }

    private void Fill(int read)
    {
        _inputEnd += read;
        _sourceBytes += read;
        if (read == 0)
        {
            _sourceEnded = true;
        }
    }

    /// <summary>Decodes what is buffered; false when more source bytes are needed to produce anything.</summary>
    private bool TryDecode(Span<byte> buffer, out int written)
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        written = 0;
        if (buffer.IsEmpty)
        {
            return true;
        }

        if (_isGzip is null)
        {
            var available = _inputEnd - _inputStart;
            if (available < 2 && !_sourceEnded)
            {
                return false;
            }

            _isGzip = available >= 2 && _input[_inputStart] == 0x1f && _input[_inputStart + 1] == 0x8b;
            if (_isGzip.Value)
            {
                _inflater = _codec.CreateInflater();
            }
        }

        var input = _input.AsSpan(_inputStart, _inputEnd - _inputStart);
        if (_inflater is null)
        {
            if (input.IsEmpty)
            {
                return _sourceEnded;
            }

            written = Math.Min(input.Length, buffer.Length);
            input[..written].CopyTo(buffer);
            _inputStart += written;
            _decodedBytes += written;
            return true;
        }

        if (input.IsEmpty && _sourceEnded)
        {
            if (_inflater.AtMemberBoundary)
            {
                return true;
            }

            // The decoder may hold output it had no room for (ISA-L buffers some); only when it has none is the member cut short.
            _inflater.Inflate(input, buffer, out _, out written);
            if (written == 0 && !_inflater.AtMemberBoundary)
            {
                throw new CloudTrailFormatException(CloudTrailErrorKind.TruncatedGzip, "truncated gzip: the data ends inside a gzip member");
            }

            _decodedBytes += written;
            return true;
        }

        _inflater.Inflate(input, buffer, out var consumed, out written);
        if (consumed == 0 && written == 0 && !_inflater.AtMemberBoundary)
        {
            throw new CloudTrailFormatException(CloudTrailErrorKind.CorruptGzip, "corrupt gzip data (the decoder made no progress)");
        }

        _inputStart += consumed;
        _decodedBytes += written;
        return written > 0;
    }
}
