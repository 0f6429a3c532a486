using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.S3;

/// <summary>
/// How the S3 checkpoint reads S3's refusals (the emulator has no IAM, so the answers are given by a client that
/// plays S3's part); saving, loading and resuming against a real S3 API are integration tests.
/// </summary>
public sealed class S3CheckpointStoreTests
{
    [Fact]
    public async Task LoadAsync_NoSuchKey_IsAFreshStart()
    {
        // Given a bucket without the checkpoint, and the permission to list it
        using var s3 = new ScriptedS3 { Get = Refusal("NoSuchKey", HttpStatusCode.NotFound) };

        // When the checkpoint is loaded, then there is none yet
        Assert.Null(await Store(s3).LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task LoadAsync_ForbiddenButTheKeyIsNotListed_IsAFreshStart()
    {
        // Given S3's 403 for a missing key (the caller may list the prefix, not the whole bucket), and a listing without it
        using var s3 = new ScriptedS3 { Get = Refusal("AccessDenied", HttpStatusCode.Forbidden), Listed = ["checkpoints/backfill-1.json.tmp"] };

        // When the checkpoint is loaded, then the listing decides: none yet
        Assert.Null(await Store(s3).LoadAsync(CancellationToken.None));
        Assert.Equal("checkpoints/backfill-1.json", s3.ListedPrefix);
    }

    [Fact]
    public async Task LoadAsync_ForbiddenAndTheKeyExists_FailsNamingBucketKeyAndPermission()
    {
        using var s3 = new ScriptedS3 { Get = Refusal("AccessDenied", HttpStatusCode.Forbidden), Listed = ["checkpoints/backfill-1.json"] };

        var error = await Assert.ThrowsAsync<BackfillException>(() => Store(s3).LoadAsync(CancellationToken.None));

        Assert.Contains("checkpoint s3://out/checkpoints/backfill-1.json: reading it was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("s3:GetObject", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ForbiddenAndListingForbiddenToo_FailsNamingBothPermissions()
    {
        using var s3 = new ScriptedS3 { Get = Refusal("AccessDenied", HttpStatusCode.Forbidden), List = Refusal("AccessDenied", HttpStatusCode.Forbidden) };

        var error = await Assert.ThrowsAsync<BackfillException>(() => Store(s3).LoadAsync(CancellationToken.None));

        Assert.Contains("checkpoint s3://out/checkpoints/backfill-1.json: reading it was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("s3:ListBucket on out for the prefix checkpoints/backfill-1.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NoSuchBucket_FailsNamingTheBucket()
    {
        using var s3 = new ScriptedS3 { Get = Refusal("NoSuchBucket", HttpStatusCode.NotFound) };

        var error = await Assert.ThrowsAsync<BackfillException>(() => Store(s3).LoadAsync(CancellationToken.None));

        Assert.Equal("checkpoint s3://out/checkpoints/backfill-1.json: the bucket out does not exist", error.Message);
    }

    [Fact]
    public async Task SaveAsync_Forbidden_FailsNamingBucketKeyAndPermission()
    {
        using var s3 = new ScriptedS3 { Put = Refusal("AccessDenied", HttpStatusCode.Forbidden) };

        var error = await Assert.ThrowsAsync<BackfillException>(() => Store(s3).SaveAsync(new byte[] { 1 }, CancellationToken.None));

        Assert.Contains("checkpoint s3://out/checkpoints/backfill-1.json: writing it was refused, the task needs s3:PutObject", error.Message, StringComparison.Ordinal);
    }

    private static S3CheckpointStore Store(IAmazonS3 s3) => new(s3, "out", "checkpoints/backfill-1.json", ResiliencePipeline.Empty);

    private static AmazonS3Exception Refusal(string code, HttpStatusCode status) =>
        new($"{code} from the test", ErrorType.Sender, code, "request-1", status);

    /// <summary>An S3 client that answers GetObject, ListObjectsV2 and PutObject as told, and never reaches the network.</summary>
    private sealed class ScriptedS3() : AmazonS3Client(new AnonymousAWSCredentials(), new AmazonS3Config { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1" })
    {
        public AmazonS3Exception? Get { get; init; }

        public AmazonS3Exception? List { get; init; }

        public AmazonS3Exception? Put { get; init; }

        public string[] Listed { get; init; } = [];

        public string? ListedPrefix { get; private set; }

        public override Task<GetObjectResponse> GetObjectAsync(GetObjectRequest request, CancellationToken cancellationToken = default) =>
            Get is { } refusal ? throw refusal : Task.FromResult(new GetObjectResponse { ResponseStream = new MemoryStream([]) });

        public override Task<ListObjectsV2Response> ListObjectsV2Async(ListObjectsV2Request request, CancellationToken cancellationToken = default)
        {
            ListedPrefix = request.Prefix;
            return List is { } refusal
                ? throw refusal
                : Task.FromResult(new ListObjectsV2Response { S3Objects = [.. Listed.Where(k => k.StartsWith(request.Prefix, StringComparison.Ordinal)).Select(k => new S3Object { Key = k })] });
        }

        public override Task<PutObjectResponse> PutObjectAsync(PutObjectRequest request, CancellationToken cancellationToken = default) =>
            Put is { } refusal ? throw refusal : Task.FromResult(new PutObjectResponse());
    }
}
