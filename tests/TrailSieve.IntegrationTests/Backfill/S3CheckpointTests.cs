using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.S3;

namespace TrailSieve.IntegrationTests.Backfill;

/// <summary>The backfill checkpoint kept as an S3 object, against a real S3 API: what a Fargate backfill task resumes from.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class S3CheckpointTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const string Source = "s3://trail/AWSLogs/";
    private const string Target = "s3://out/records/ mirror";
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private string _bucket = "";

    public async Task InitializeAsync() => _bucket = await aws.CreateBucketAsync("bf-ckpt");

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_bucket);
        _s3.Dispose();
    }

    [Fact]
    public async Task LoadAsync_NothingSavedYet_StartsEmpty()
    {
        // Given a bucket without the checkpoint object
        var store = Store("checkpoints/first.json");

        // When the first run loads it
        using var checkpoint = await BackfillCheckpoint.LoadAsync(store, Source, Target, TimeProvider.System, CancellationToken.None);

        // Then it starts from nothing
        Assert.Equal(0, checkpoint.PartitionsAtStart);
        Assert.Equal(0, checkpoint.ObjectsAtStart);
        Assert.Null(await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SaveAsync_TwiceThenLoad_TheLastDocumentWhole()
    {
        var store = Store("checkpoints/replace.json");

        await store.SaveAsync(Encoding.UTF8.GetBytes("first, a longer document"), CancellationToken.None);
        await store.SaveAsync(Encoding.UTF8.GetBytes("second"), CancellationToken.None);

        Assert.Equal("second", Encoding.UTF8.GetString((await store.LoadAsync(CancellationToken.None))!));
        var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = "checkpoints/replace.json" });
        Assert.Equal("application/json", head.Headers.ContentType);
    }

    [Fact]
    public async Task LoadAsync_AfterARunSaved_ResumesWithItsPartitionsAndObjects()
    {
        // Given a run that finished one partition and one object of another, and saved
        using (var first = await BackfillCheckpoint.LoadAsync(Store("checkpoints/resume.json"), Source, Target, TimeProvider.System, CancellationToken.None))
        {
            first.MarkPartition("111122223333/eu-west-1/2026-01-01", 3, 300, ["a", "b", "c"]);
            first.MarkObject("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/d.json.gz");
            await first.SaveAsync(CancellationToken.None);
        }

        // When a new process loads the same object
        using var second = await BackfillCheckpoint.LoadAsync(Store("checkpoints/resume.json"), Source, Target, TimeProvider.System, CancellationToken.None);

        // Then it skips exactly what the first run finished
        Assert.Equal(1, second.PartitionsAtStart);
        Assert.Equal(1, second.ObjectsAtStart);
        Assert.True(second.IsPartitionDone("111122223333/eu-west-1/2026-01-01"));
        Assert.False(second.IsPartitionDone("111122223333/eu-west-1/2026-01-02"));
        Assert.True(second.IsObjectDone("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/d.json.gz"));
        Assert.Equal($"s3://{_bucket}/checkpoints/resume.json", second.Location);
    }

    [Fact]
    public async Task LoadAsync_AnotherBackfillsCheckpoint_IsRefusedWithItsS3Location()
    {
        // Given a checkpoint saved by an enqueue run
        using (var enqueue = await BackfillCheckpoint.LoadAsync(Store("checkpoints/shared.json"), Source, "sqs https://queue", TimeProvider.System, CancellationToken.None))
        {
            enqueue.MarkPartition("111122223333/eu-west-1/2026-01-01", 1, 10, []);
            await enqueue.SaveAsync(CancellationToken.None);
        }

        // When a processing run is pointed at it
        var error = await Assert.ThrowsAsync<BackfillException>(
            () => BackfillCheckpoint.LoadAsync(Store("checkpoints/shared.json"), Source, Target, TimeProvider.System, CancellationToken.None));

        // Then it is refused, naming the object and both backfills
        Assert.Contains($"checkpoint s3://{_bucket}/checkpoints/shared.json belongs to another backfill", error.Message, StringComparison.Ordinal);
        Assert.Contains("sqs https://queue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_BucketMissing_FailsNamingIt()
    {
        var store = new S3CheckpointStore(_s3, _bucket + "-missing", "checkpoints/x.json", AwsResilience.Create(TimeProvider.System));

        var error = await Assert.ThrowsAsync<BackfillException>(() => store.LoadAsync(CancellationToken.None));

        Assert.Contains($"the bucket {_bucket}-missing does not exist", error.Message, StringComparison.Ordinal);
    }

    private S3CheckpointStore Store(string key) => new(_s3, _bucket, key, AwsResilience.Create(TimeProvider.System));
}
