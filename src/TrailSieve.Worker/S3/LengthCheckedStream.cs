using System.Globalization;

namespace TrailSieve.Worker.S3;

/// <summary>
/// A GET response body that must be exactly as long as its Content-Length: when the body ends early, the read that
/// would report its end throws <see cref="TruncatedBodyException"/> ("s3://b/k: body ended at N of M bytes") instead,
/// so the reader never takes a cut-off object for a whole one (an uncompressed <c>.json</c> source has no gzip trailer to
/// catch it). Disposing it disposes the body and <paramref name="owner"/> (the SDK response). <paramref name="version"/>
/// is the object's ETag, which the delivery ledger names the object by.
/// </summary>
internal sealed class LengthCheckedStream(Stream body, long expectedLength, string name, IDisposable? owner = null, string? version = null)
    : Stream, Pipeline.IVersionedContent
{
    public string? Version => version;

    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => expectedLength;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Counted(body.Read(buffer, offset, count), count);

    public override int Read(Span<byte> buffer) => Counted(body.Read(buffer), buffer.Length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
            body.Dispose();
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Counted(int read, int asked)
    {
        _read += read;
        if (read == 0 && asked > 0 && expectedLength >= 0 && _read < expectedLength)
        {
            throw new TruncatedBodyException(string.Create(
                CultureInfo.InvariantCulture, $"{name}: body ended at {_read} of {expectedLength} bytes (Content-Length); the connection was cut, the object will be read again"));
        }

        return read;
    }
}
