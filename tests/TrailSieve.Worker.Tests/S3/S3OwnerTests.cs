using Polly;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.S3;

/// <summary>Sqs:ExpectedBucketOwner on the backfill adapters' requests, and the checkpoint's checksum.</summary>
public sealed class S3OwnerTests : IDisposable
{
    private const string Owner = "123456789012";

    private readonly FakeS3 _s3 = new();

    public void Dispose() => _s3.Dispose();

    [Fact]
    public async Task CheckpointStore_SaveThenLoad_OwnerOnBothAndTheSaveChecksummed()
    {
        using var client = _s3.Client();
        var store = new S3CheckpointStore(client, "state", "backfill/checkpoint.json", ResiliencePipeline.Empty, Owner);
        var document = "{\"done\":[]}"u8.ToArray();

        await store.SaveAsync(document, CancellationToken.None);
        var loaded = await store.LoadAsync(CancellationToken.None);

        Assert.Equal(document, loaded);
        Assert.All(_s3.Requests, r => Assert.Equal(Owner, r.Header("x-amz-expected-bucket-owner")));
        Assert.Equal(Crc32.Base64(document), _s3.Requests[0].Checksum);
    }

    [Fact]
    public async Task Lister_EveryPage_CarriesTheOwner()
    {
        using var client = _s3.Client();
        var lister = new S3ObjectLister(client, ResiliencePipeline.Empty, Owner);

        await foreach (var _ in lister.ListObjectsAsync("trail", "AWSLogs/", CancellationToken.None))
        {
        }

        await foreach (var _ in lister.ListFoldersAsync("trail", "AWSLogs/", CancellationToken.None))
        {
        }

        Assert.Equal(2, _s3.Requests.Count);
        Assert.All(_s3.Requests, r => Assert.Equal(Owner, r.Header("x-amz-expected-bucket-owner")));
    }
}
