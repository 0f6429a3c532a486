using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.S3;

/// <summary>The S3 source through a real S3 client against <see cref="FakeS3"/>: what it refuses without a GET, what the GET carries, how a short body ends.</summary>
public sealed class S3ObjectSourceTests : IDisposable
{
    private const string Key = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/a.json";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeS3 _s3 = new();

    public void Dispose()
    {
        _services.Dispose();
        _s3.Dispose();
    }

    [Fact]
    public async Task OpenAsync_BucketNotAllowed_RejectedWithoutARequest()
    {
        var options = new SqsOptions();
        options.SourceBuckets.Add("trail");
        var source = Source(options);

        var error = await Assert.ThrowsAsync<SourceRejectedException>(() => source.Create(new ObjectRef("elsewhere", Key, 10), null).OpenAsync(CancellationToken.None));

        Assert.Equal($"s3://elsewhere/{Key}: bucket elsewhere is not in Sqs:SourceBuckets (trail); not downloaded", error.Message);
        Assert.False(((IRetryClassified)error).IsRetryable);
        Assert.Empty(_s3.Requests);
    }

    [Fact]
    public async Task OpenAsync_KeyExcluded_SkippedWithTheReasonWithoutARequest()
    {
        var options = new SqsOptions();
        options.ExcludeKeys.Add("re:/eu-west-1/");
        var source = Source(options);

        var error = await Assert.ThrowsAsync<ObjectSkippedException>(() => source.Create(new ObjectRef("trail", Key, 10), null).OpenAsync(CancellationToken.None));

        Assert.Equal("excluded by Sqs:ExcludeKeys 're:/eu-west-1/'", error.Message);
        Assert.Empty(_s3.Requests);
    }

    [Fact]
    public async Task OpenAsync_Accepted_OneGetWithTheExpectedOwnerAndTheWholeBody()
    {
        var body = Encoding.UTF8.GetBytes("""{"Records":[]}""");
        _s3.Store("trail", Key, body);
        var options = new SqsOptions { ExpectedBucketOwner = "123456789012" };
        options.SourceBuckets.Add("trail");
        options.IncludeKeys.Add("AWSLogs/");

        await using var content = await Source(options).Create(new ObjectRef("trail", Key, body.Length), null).OpenAsync(CancellationToken.None);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);

        Assert.Equal(body, copy.ToArray());
        var get = Assert.Single(_s3.Requests);
        Assert.Equal(HttpMethod.Get, get.Method);
        Assert.Equal("123456789012", get.Header("x-amz-expected-bucket-owner"));
    }

    [Fact]
    public async Task OpenAsync_BodyShorterThanContentLength_TruncatedNamingTheObject()
    {
        // Given a GET whose connection delivers 14 of the 64 bytes it announced (an uncompressed object)
        _s3.Store("trail", Key, Encoding.UTF8.GetBytes("""{"Records":[]}"""));
        _s3.ShortBodies = 50;

        // When it is read through the SDK's response stream, Then it fails as truncated, not as a whole object
        await using var content = await Source(new SqsOptions()).Create(new ObjectRef("trail", Key, 64), null).OpenAsync(CancellationToken.None);
        var error = await Assert.ThrowsAnyAsync<IOException>(() => content.CopyToAsync(Stream.Null));
        Assert.Contains($"s3://trail/{Key}", error.Message, StringComparison.Ordinal);
        Assert.Contains("body ended at 14 of 64 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_Forbidden_NonRetryableNamingBucketAndOwner()
    {
        _s3.Refuse = (HttpStatusCode.Forbidden, "AccessDenied");
        var source = Source(new SqsOptions { ExpectedBucketOwner = "123456789012" });

        var error = await Assert.ThrowsAsync<BucketAccessDeniedException>(() => source.Create(new ObjectRef("trail", Key, 10), null).OpenAsync(CancellationToken.None));

        Assert.StartsWith($"s3://trail/{Key}: GetObject refused (403) on bucket trail", error.Message, StringComparison.Ordinal);
        Assert.Contains("not owned by account 123456789012 (Sqs:ExpectedBucketOwner)", error.Message, StringComparison.Ordinal);
        Assert.False(((IRetryClassified)error).IsRetryable);
    }

    [Fact]
    public async Task OpenAsync_Missing_SkippedAsBefore()
    {
        var source = Source(new SqsOptions());

        await Assert.ThrowsAsync<ObjectSkippedException>(() => source.Create(new ObjectRef("trail", Key, 10), null).OpenAsync(CancellationToken.None));
    }

    private S3ObjectSource Source(SqsOptions options) =>
        new(_s3.Client(), ResiliencePipeline.Empty, new TrailSieveMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, SourceGuard.From(options));
}
