using TrailSieve.Analytics.Storage;
using TrailSieve.Analytics.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Storage;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("2026-10/../../outside.json")]
    [InlineData("/etc/passwd")]
    public async Task UploadAsync_KeyOutsideTheFolder_RefusedAndNothingWritten(string key)
    {
        // Given a store in a sub-folder, and a file to store
        var store = new LocalObjectStore(_dir.Combine("store"));
        var file = _dir.Combine("page.html");
        await File.WriteAllTextAsync(file, "<p>x</p>");

        // When
        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.UploadAsync(file, key, "text/html", CancellationToken.None));

        // Then
        Assert.Contains($"key '{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the store", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("outside.json")));
    }

    [Fact]
    public async Task ListLevelAsync_ObjectsAndFoldersOfOneLevel()
    {
        _dir.WriteGzip("store/a/b/deep.json.gz", "{}");
        _dir.WriteGzip("store/a/top.json.gz", "{}");
        var store = new LocalObjectStore(_dir.Combine("store"));

        var level = await store.ListLevelAsync("a/", CancellationToken.None);

        Assert.Equal(["a/top.json.gz"], level.Objects.Select(o => o.Key));
        Assert.Equal(["a/b/"], level.Folders);
        Assert.Equal("a/b/deep.json.gz", store.LocalPath("a/b/deep.json.gz")[(store.Root.Length + 1)..].Replace('\\', '/'));
    }
}
