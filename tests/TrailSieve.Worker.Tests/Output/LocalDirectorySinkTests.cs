using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Tests.Output;

public sealed class LocalDirectorySinkTests : IDisposable
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), "trailsieve-sink-" + Guid.NewGuid().ToString("N"));

    private string Root => Path.Combine(_parent, "out");

    public void Dispose()
    {
        if (Directory.Exists(_parent))
        {
            Directory.Delete(_parent, recursive: true);
        }
    }

    [Theory]
    [InlineData("../escaped.json.gz")]
    [InlineData("a/../../escaped.json.gz")]
    [InlineData("a/b/../../../escaped.json.gz")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/..")]
    public async Task CreateAsync_KeyLeavingTheFolder_RefusedNamingKeyAndNothingWritten(string key)
    {
        // Given a sink over a folder
        var sink = new LocalDirectorySink(Root);

        // When a key resolves outside it (or to the folder itself)
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sink.CreateAsync(key, CancellationToken.None).AsTask());

        // Then it is refused with the key and the reason, and no file appeared beside or inside the folder
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("leaves the output folder", error.Message, StringComparison.Ordinal);
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(Root));
    }

    [Fact]
    public async Task CreateAsync_AbsoluteKey_Refused()
    {
        var sink = new LocalDirectorySink(Root);
        var outside = Path.Combine(_parent, "absolute.json.gz");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sink.CreateAsync(outside, CancellationToken.None).AsTask());

        Assert.Contains("leaves the output folder", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("a/b/", "ends with a separator")]
    [InlineData("a\0b.json.gz", "NUL")]
    public async Task CreateAsync_KeyNamingNoFile_RefusedWithTheReason(string key, string reason)
    {
        var sink = new LocalDirectorySink(Root);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sink.CreateAsync(key, CancellationToken.None).AsTask());

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Root));
    }

    [Fact]
    public async Task CommitAsync_EmptySegmentsAndDotSegmentsInside_WrittenWhereTheyResolve()
    {
        // Given keys with an empty segment and a dot segment that stays inside the folder
        var sink = new LocalDirectorySink(Root);

        // When both are written
        await WriteAsync(sink, "a//b.json.gz", [1]);
        await WriteAsync(sink, "c/./d/../e.json.gz", [2]);

        // Then they land at the paths they resolve to, and no temporary file is left
        Assert.Equal([1], await File.ReadAllBytesAsync(Path.Combine(Root, "a", "b.json.gz")));
        Assert.Equal([2], await File.ReadAllBytesAsync(Path.Combine(Root, "c", "e.json.gz")));
        Assert.DoesNotContain(Directory.GetFiles(Root, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CommitAsync_BackslashesOnLinux_PartOfOneNameInsideTheFolder()
    {
        if (Path.DirectorySeparatorChar == '\\')
        {
            // On Windows a backslash is a separator: the ".." cases above cover it.
            return;
        }

        // Given a key that would climb out were backslashes separators
        var sink = new LocalDirectorySink(Root);

        // When written
        await WriteAsync(sink, @"..\..\x.json.gz", [3]);

        // Then it is one file of that name directly in the folder
        var file = Assert.Single(Directory.GetFiles(Root));
        Assert.Equal(@"..\..\x.json.gz", Path.GetFileName(file));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName));
    }

    [Fact]
    public async Task CreateAsync_RootWithTrailingSeparator_SameFolder()
    {
        var sink = new LocalDirectorySink(Root + Path.DirectorySeparatorChar);

        await WriteAsync(sink, "k.json.gz", [4]);

        Assert.Equal([4], await File.ReadAllBytesAsync(Path.Combine(Root, "k.json.gz")));
        await Assert.ThrowsAsync<ArgumentException>(() => sink.CreateAsync("../k.json.gz", CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task DisposeAsync_WithoutCommit_NoFileLeft()
    {
        var sink = new LocalDirectorySink(Root);
        var output = await sink.CreateAsync("a/k.json.gz", CancellationToken.None);
        await output.WriteAsync(new byte[] { 5 }, CancellationToken.None);

        await output.DisposeAsync();

        Assert.Empty(Directory.GetFiles(Root, "*", SearchOption.AllDirectories));
    }

    private static async Task WriteAsync(LocalDirectorySink sink, string key, byte[] data)
    {
        await using var output = await sink.CreateAsync(key, CancellationToken.None);
        await output.WriteAsync(data, CancellationToken.None);
        await output.CommitAsync(CancellationToken.None);
    }
}
