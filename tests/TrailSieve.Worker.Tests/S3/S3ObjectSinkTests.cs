using System.Diagnostics.Metrics;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.S3;

/// <summary>
/// The output sink through a real S3 client against <see cref="FakeS3"/>: the headers and checksums on the wire, and
/// that S3's check of the checksum catches a body changed on the way.
/// </summary>
public sealed class S3ObjectSinkTests : IDisposable
{
    private const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000";
    private const string Owner = "123456789012";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeS3 _s3 = new();

    public void Dispose()
    {
        _services.Dispose();
        _s3.Dispose();
    }

    [Fact]
    public async Task CommitAsync_SmallObject_OnePutWithHeadersChecksumAndOwner()
    {
        // Given a sink with SSE-S3 and an expected owner
        using var client = _s3.Client();
        var sink = Sink(client, new OutputOptions { Bucket = "out", Encryption = OutputEncryption.S3 }, Owner);
        var data = Payload(3000);

        // When one object smaller than a part is committed
        await WriteAsync(sink, "records/a.json.gz", data);

        // Then one PUT carries the content headers, SSE-S3, the owner and a CRC32 of exactly its bytes
        var put = Assert.Single(_s3.Requests);
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.Equal("/out/records/a.json.gz", put.Path);
        Assert.Equal("application/json", put.Header("content-type"));
        Assert.Contains("gzip", put.Header("content-encoding"), StringComparison.Ordinal);
        Assert.Equal("AES256", put.Header("x-amz-server-side-encryption"));
        Assert.Null(put.Header("x-amz-server-side-encryption-aws-kms-key-id"));
        Assert.Equal(Owner, put.Header("x-amz-expected-bucket-owner"));
        Assert.Equal(Crc32.Base64(data), put.Checksum);
        Assert.Equal(data, _s3.Objects["/out/records/a.json.gz"]);
    }

    [Theory]
    [InlineData(KeyArn, true)]
    [InlineData("", false)]
    public async Task CommitAsync_Kms_KeyAndBucketKeyAsConfigured(string keyId, bool bucketKey)
    {
        using var client = _s3.Client();
        var sink = Sink(client, new OutputOptions { Bucket = "out", Encryption = OutputEncryption.Kms, KmsKeyId = keyId, BucketKey = bucketKey });

        await WriteAsync(sink, "k.json.gz", Payload(100));

        var put = Assert.Single(_s3.Requests);
        Assert.Equal("aws:kms", put.Header("x-amz-server-side-encryption"));
        Assert.Equal(keyId.Length == 0 ? null : keyId, put.Header("x-amz-server-side-encryption-aws-kms-key-id"));
        Assert.Equal(bucketKey ? "true" : null, put.Header("x-amz-server-side-encryption-bucket-key-enabled")?.ToLowerInvariant());
        Assert.Null(put.Header("x-amz-expected-bucket-owner"));
    }

    [Fact]
    public async Task CommitAsync_NoEncryption_NoSseHeader()
    {
        using var client = _s3.Client();
        var sink = Sink(client, new OutputOptions { Bucket = "out", Encryption = OutputEncryption.None });

        await WriteAsync(sink, "k.json.gz", Payload(100));

        Assert.Null(Assert.Single(_s3.Requests).Header("x-amz-server-side-encryption"));
    }

    [Fact]
    public async Task CommitAsync_LargeObject_EveryMultipartCallCarriesOwnerAndEveryPartItsChecksum()
    {
        // Given parts of 1 KiB and an object of 2.5 parts
        using var client = _s3.Client();
        var sink = Sink(client, new OutputOptions { Bucket = "out", Encryption = OutputEncryption.Kms, KmsKeyId = KeyArn, BucketKey = true, PartBytes = 1024 }, Owner);
        var data = Payload(2560);

        // When
        await WriteAsync(sink, "big.json.gz", data, 512);

        // Then: create (with the headers, SSE and the CRC32 algorithm), three parts each with the CRC32 of its bytes, complete with them
        Assert.Equal(["POST ?uploads", "PUT part", "PUT part", "PUT part", "POST complete"], _s3.Requests.Select(Describe));
        Assert.All(_s3.Requests, r => Assert.Equal(Owner, r.Header("x-amz-expected-bucket-owner")));
        var create = _s3.Requests[0];
        Assert.Equal("application/json", create.Header("content-type"));
        Assert.Equal("aws:kms", create.Header("x-amz-server-side-encryption"));
        Assert.Equal(KeyArn, create.Header("x-amz-server-side-encryption-aws-kms-key-id"));
        Assert.Equal("CRC32", create.Header("x-amz-checksum-algorithm"));
        var parts = _s3.Requests.Skip(1).Take(3).ToList();
        Assert.Equal([1024, 1024, 512], parts.Select(p => p.Body.Length));
        Assert.All(parts, p => Assert.Equal(Crc32.Base64(p.Body), p.Checksum));
        var complete = System.Text.Encoding.UTF8.GetString(_s3.Requests[4].Body);
        Assert.All(parts, p => Assert.Contains($"<ChecksumCRC32>{p.Checksum}</ChecksumCRC32>", complete, StringComparison.Ordinal));
        Assert.Equal(data, _s3.Objects["/out/big.json.gz"]);
    }

    [Fact]
    public async Task CommitAsync_SdkToldToChecksumOnlyWhenRequired_ChecksumSentAnyway()
    {
        // Given a client configured (as AWS_REQUEST_CHECKSUM_CALCULATION=when_required would) not to add checksums by itself
        using var client = _s3.Client(c => c.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED);
        var sink = Sink(client, new OutputOptions { Bucket = "out", PartBytes = 1024 });

        await WriteAsync(sink, "small.json.gz", Payload(10));
        await WriteAsync(sink, "big.json.gz", Payload(1500), 512);

        // Then the sink's own setting still puts a checksum on every upload
        var uploads = _s3.Requests.Where(r => r.Method == HttpMethod.Put).ToList();
        Assert.Equal(3, uploads.Count);
        Assert.All(uploads, u => Assert.Equal(Crc32.Base64(u.Body), u.Checksum));
    }

    [Fact]
    public async Task CommitAsync_BodyCorruptedOnTheWay_RejectedByTheChecksum()
    {
        // Given every upload corrupted after the SDK computed its checksum, and no retries
        _s3.Corrupt = int.MaxValue;
        using var client = _s3.Client();
        var sink = Sink(client, new OutputOptions { Bucket = "out" });

        // When / Then: S3 refuses it (BadDigest) and nothing is stored under the key
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => WriteAsync(sink, "k.json.gz", Payload(4000)));
        Assert.Equal("BadDigest", error.ErrorCode);
        Assert.Empty(_s3.Objects);
    }

    [Fact]
    public async Task CommitAsync_PartCorruptedOnce_RetriedWholeAndStoredIntact()
    {
        // Given the first part corrupted once, and a retry of what AwsErrors calls transient, without delay
        _s3.Corrupt = 1;
        using var client = _s3.Client();
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new Polly.Retry.RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle<Exception>(AwsErrors.IsTransient), Delay = TimeSpan.Zero, MaxRetryAttempts = 2 })
            .Build();
        var sink = new S3ObjectSink(client, new OutputOptions { Bucket = "out", PartBytes = 1024 }, retry, Metrics(), TimeProvider.System);
        var data = Payload(2048);

        // When
        await WriteAsync(sink, "big.json.gz", data);

        // Then the part was sent again and the object is exactly what was written
        Assert.Equal(2, _s3.Requests.Count(r => r.Query.Contains("partNumber=1", StringComparison.Ordinal)));
        Assert.Equal(data, _s3.Objects["/out/big.json.gz"]);
    }

    [Fact]
    public async Task CommitAsync_Forbidden_NonRetryableErrorNamingBucketAndOwner()
    {
        _s3.Refuse = (HttpStatusCode.Forbidden, "AccessDenied");
        using var client = _s3.Client();
        var sink = Sink(client, new OutputOptions { Bucket = "out" }, Owner);

        var error = await Assert.ThrowsAsync<BucketAccessDeniedException>(() => WriteAsync(sink, "k.json.gz", Payload(10)));

        Assert.StartsWith("s3://out/k.json.gz: PutObject refused (403) on bucket out", error.Message, StringComparison.Ordinal);
        Assert.Contains("account 123456789012 (Sqs:ExpectedBucketOwner)", error.Message, StringComparison.Ordinal);
        Assert.False(((Worker.Pipeline.IRetryClassified)error).IsRetryable);
    }

    private static string Describe(FakeS3.Recorded r) => (r.Method.Method, r.Query) switch
    {
        ("POST", var q) when q.Contains("uploads", StringComparison.Ordinal) => "POST ?uploads",
        ("POST", _) => "POST complete",
        ("PUT", var q) when q.Contains("partNumber", StringComparison.Ordinal) => "PUT part",
        (var m, _) => m,
    };

    private static byte[] Payload(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251))];

    private static async Task WriteAsync(S3ObjectSink sink, string key, byte[] data, int pieceBytes = int.MaxValue)
    {
        await using var output = await sink.CreateAsync(key, CancellationToken.None);
        foreach (var piece in data.Chunk(Math.Min(pieceBytes, Math.Max(1, data.Length))))
        {
            await output.WriteAsync(piece, CancellationToken.None);
        }

        await output.CommitAsync(CancellationToken.None);
    }

    private S3ObjectSink Sink(IAmazonS3 client, OutputOptions options, string? owner = null) =>
        new(client, options, ResiliencePipeline.Empty, Metrics(), TimeProvider.System, owner);

    private TrailSieveMetrics Metrics() => new(_services.GetRequiredService<IMeterFactory>());
}
