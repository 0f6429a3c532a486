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

    [Fact]
    public async Task WasObjectDone_PartitionFinishedByThisRun_StillAnswersWhatTheEarlierRunDid()
    {
        // Given a checkpoint an earlier run left with one object of a partition done
        var store = new MemoryCheckpointStore();
        const string Partition = "111122223333/eu-west-1/2026-01-01";
        const string Earlier = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/01/a.json.gz";
        const string Now = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/01/b.json.gz";
        using (var earlier = await BackfillCheckpoint.LoadAsync(store, "s3://a/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None))
        {
            earlier.MarkObject(Earlier);
            await earlier.SaveAsync(CancellationToken.None);
        }

        using var checkpoint = await BackfillCheckpoint.LoadAsync(store, "s3://a/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None);

        // When this run finishes the other object and so the partition (which drops its single objects)
        checkpoint.MarkObject(Now);
        checkpoint.MarkPartition(Partition, 2, 20, [Earlier, Now]);

        // Then the live state has the partition, and what earlier runs did is unchanged: the counting walk beside
        // the work walk still counts the earlier object as skipped and this run's as to do
        Assert.True(checkpoint.IsPartitionDone(Partition));
        Assert.False(checkpoint.IsObjectDone(Earlier));
        Assert.False(checkpoint.WasPartitionDone(Partition));
        Assert.True(checkpoint.WasObjectDone(Earlier));
        Assert.False(checkpoint.WasObjectDone(Now));
    }
}
