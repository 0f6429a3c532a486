using System.Text;
using TrailSieve.Worker.Backfill;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class BackfillCheckpointTests
{
    [Fact]
    public async Task LoadAsync_AnotherBackfillsOrNotACheckpoint_IsRefusedWithItsLocation()
    {
        var store = new MemoryCheckpointStore();
        using (var checkpoint = await BackfillCheckpoint.LoadAsync(store, "s3://a/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None))
        {
            checkpoint.MarkPartition("111122223333/eu-west-1/2026-01-01", 3, 300, []);
            await checkpoint.SaveAsync(CancellationToken.None);
        }

        var other = await Assert.ThrowsAsync<BackfillException>(() => BackfillCheckpoint.LoadAsync(store, "s3://b/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None));
        Assert.Contains("mem://checkpoint.json belongs to another backfill", other.Message, StringComparison.Ordinal);

        store.Document = Encoding.UTF8.GetBytes("{\"partitions\":[]}");
        var garbage = await Assert.ThrowsAsync<BackfillException>(() => BackfillCheckpoint.LoadAsync(store, "s3://a/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None));
        Assert.Contains("mem://checkpoint.json is not a TrailSieve backfill checkpoint", garbage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileStore_SavedTwice_TheDocumentIsReplacedWhole()
    {
        var path = Path.Combine(Path.GetTempPath(), "trailsieve-checkpoint-" + Guid.NewGuid().ToString("N"), "state.json");
        var store = new FileCheckpointStore(path);

        Assert.Null(await store.LoadAsync(CancellationToken.None));
        await store.SaveAsync(Encoding.UTF8.GetBytes("first, longer document"), CancellationToken.None);
        await store.SaveAsync(Encoding.UTF8.GetBytes("second"), CancellationToken.None);

        Assert.Equal("second", Encoding.UTF8.GetString((await store.LoadAsync(CancellationToken.None))!));
        Assert.False(File.Exists(path + ".tmp"));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Theory]
    [InlineData("io")]
    [InlineData("aws")]
    public async Task SaveAsync_StoreFails_FailsNamingTheCheckpointAndWhy(string kind)
    {
        // Given a checkpoint with a change, in a store that cannot be written (a full disk, an unreachable S3)
        var store = new MemoryCheckpointStore();
        using var checkpoint = await BackfillCheckpoint.LoadAsync(store, "s3://a/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None);
        checkpoint.MarkObject("AWSLogs/x.json.gz");
        store.SaveFailure = kind == "io"
            ? new IOException("No space left on device")
            : new Amazon.Runtime.AmazonClientException("connection refused", new HttpRequestException("connection refused"));

        // When it is saved
        var error = await Assert.ThrowsAsync<BackfillException>(() => checkpoint.SaveAsync(CancellationToken.None));

        // Then the failure names the checkpoint and says why, in one line
        Assert.StartsWith("checkpoint mem://checkpoint.json: saving it failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(kind == "io" ? "No space left on device" : "AWS cannot be reached", error.Message, StringComparison.Ordinal);
    }
}
