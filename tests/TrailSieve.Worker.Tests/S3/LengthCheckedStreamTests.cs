using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.S3;

public sealed class LengthCheckedStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ReadAsync_BodyShorterThanContentLength_ThrowsNamingTheObjectBeforeTheEnd(int bufferBytes)
    {
        // Given a body of 100 bytes announced as 250 (a plain .json object: no gzip trailer would notice)
        using var stream = new LengthCheckedStream(new MemoryStream(new byte[100]), 250, "s3://b/k.json");
        var buffer = new byte[bufferBytes];
        long read = 0;

        // When it is read to its end, Then the read that would report the end throws instead
        var error = await Assert.ThrowsAsync<TruncatedBodyException>(async () =>
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                read += n;
            }
        });
        Assert.Equal(100, read);
        Assert.StartsWith("s3://b/k.json: body ended at 100 of 250 bytes", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error);
        Assert.True(((Worker.Pipeline.IRetryClassified)error).IsRetryable);
    }

    [Fact]
    public void Read_SyncAndSpan_TruncationCaughtToo()
    {
        using var stream = new LengthCheckedStream(new MemoryStream(new byte[10]), 11, "s3://b/k");
        Assert.Equal(10, stream.Read(new byte[64], 0, 64));
        Assert.Throws<TruncatedBodyException>(() => stream.Read(new byte[64].AsSpan()));
    }

    [Fact]
    public async Task CopyToAsync_WholeBody_ReadsEverything()
    {
        var body = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        using var stream = new LengthCheckedStream(new MemoryStream(body), body.Length, "s3://b/k");
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.Equal(body, copy.ToArray());
        Assert.Equal(0, await stream.ReadAsync(new byte[8]));
    }

    [Fact]
    public async Task ReadAsync_UnknownLength_NotChecked()
    {
        using var stream = new LengthCheckedStream(new MemoryStream(new byte[5]), -1, "s3://b/k");

        Assert.Equal(5, await stream.ReadAsync(new byte[8]));
        Assert.Equal(0, await stream.ReadAsync(new byte[8]));
    }

    [Fact]
    public void Dispose_DisposesBodyAndOwner()
    {
        var body = new MemoryStream(new byte[1]);
        var owner = new Owner();
        new LengthCheckedStream(body, 1, "s3://b/k", owner).Dispose();

        Assert.False(body.CanRead);
        Assert.True(owner.Disposed);
    }

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
