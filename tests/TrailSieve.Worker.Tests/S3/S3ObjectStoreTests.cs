using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Polly;
using TrailSieve.Analytics.Storage;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;

namespace TrailSieve.Worker.Tests.S3;

/// <summary>The analytics S3 store against a recorded HTTP exchange: what it sends, and how it reports what S3 answers.</summary>
public sealed class S3ObjectStoreTests : IDisposable
{
    private const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000";

    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData(OutputEncryption.Kms, KeyArn, "aws:kms", KeyArn)]
    [InlineData(OutputEncryption.Kms, "", "aws:kms", null)]
    [InlineData(OutputEncryption.S3, "", "AES256", null)]
    [InlineData(OutputEncryption.None, "", null, null)]
    public async Task UploadAsync_ConfiguredEncryption_SentAsTheSinkSendsIt(OutputEncryption mode, string key, string? method, string? keyHeader)
    {
        // Given a store with the output encryption the service would use
        await File.WriteAllTextAsync(_file, "<p>report</p>");
        var handler = new RecordingHandler(_ => Respond(HttpStatusCode.OK, string.Empty, ("ETag", "\"e\"")));
        using var s3 = Client(handler);
        var store = new S3ObjectStore(s3, "bucket", "reports/", ResiliencePipeline.Empty, new S3Encryption(mode, key));

        // When
        await store.UploadAsync(_file, "2026-10/index.html", "text/html", CancellationToken.None);

        // Then
        var put = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.EndsWith("/bucket/reports/2026-10/index.html", put.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(method, Header(put, "x-amz-server-side-encryption"));
        Assert.Equal(keyHeader, Header(put, "x-amz-server-side-encryption-aws-kms-key-id"));
    }

    [Fact]
    public async Task DownloadAsync_NoSuchKey_ObjectMissingNamingTheObject()
    {
        var handler = new RecordingHandler(_ => Respond(HttpStatusCode.NotFound, Error("NoSuchKey", "The specified key does not exist.")));
        using var s3 = Client(handler);
        var store = new S3ObjectStore(s3, "bucket", "records/", ResiliencePipeline.Empty, new S3Encryption(OutputEncryption.S3, string.Empty));

        var error = await Assert.ThrowsAsync<StoreException>(() => store.DownloadAsync("account=1/a.json.gz", _file, CancellationToken.None));

        Assert.Equal(StoreFailure.ObjectMissing, error.Failure);
        Assert.Equal("cannot read s3://bucket/records/account=1/a.json.gz: NoSuchKey: The specified key does not exist.", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied", "access denied (AccessDenied): Access Denied")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket", "The specified bucket does not exist", "NoSuchBucket: The specified bucket does not exist")]
    public async Task ListAsync_BucketUnusable_UnavailableNamingTheBucketAndPrefix(HttpStatusCode status, string code, string message, string reason)
    {
        var handler = new RecordingHandler(_ => Respond(status, Error(code, message)));
        using var s3 = Client(handler);
        var store = new S3ObjectStore(s3, "bucket", "records/", ResiliencePipeline.Empty, new S3Encryption(OutputEncryption.S3, string.Empty));

        var error = await Assert.ThrowsAsync<StoreException>(async () => await store.ListAsync("account=1/", CancellationToken.None).ToListAsync());

        Assert.Equal(StoreFailure.Unavailable, error.Failure);
        Assert.Equal($"cannot list s3://bucket/records/account=1/: {reason}", error.Message);
    }

    [Fact]
    public async Task ListLevelAsync_DelimitedListing_ObjectsAndFoldersRelativeToThePrefix()
    {
        var handler = new RecordingHandler(_ => Respond(HttpStatusCode.OK, """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix>records/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>
            <Contents><Key>records/loose.json.gz</Key><Size>7</Size></Contents><CommonPrefixes><Prefix>records/account=111122223333/</Prefix></CommonPrefixes></ListBucketResult>
            """));
        using var s3 = Client(handler);
        var store = new S3ObjectStore(s3, "bucket", "records/", ResiliencePipeline.Empty, new S3Encryption(OutputEncryption.S3, string.Empty));

        var level = await store.ListLevelAsync(string.Empty, CancellationToken.None);

        Assert.Equal([new StoredObject("loose.json.gz", 7)], level.Objects);
        Assert.Equal(["account=111122223333/"], level.Folders);
        Assert.Contains("delimiter=%2F", Assert.Single(handler.Requests).RequestUri!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRequest_ExpectedBucketOwnerConfigured_CarriesItOnListGetUploadAndDelete()
    {
        // Given a store opened as compact and report open theirs, with Sqs:ExpectedBucketOwner set
        await File.WriteAllTextAsync(_file, "<p>report</p>");
        var handler = new RecordingHandler(request => (request.Method.Method, request.RequestUri!.Query) switch
        {
            ("GET", var q) when q.Contains("list-type", StringComparison.Ordinal) => Respond(HttpStatusCode.OK, """
                <?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>bucket</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>
                """),
            ("POST", var q) when q.Contains("delete", StringComparison.Ordinal) => Respond(HttpStatusCode.OK, """
                <?xml version="1.0" encoding="UTF-8"?><DeleteResult><Deleted><Key>records/a.json.gz</Key></Deleted></DeleteResult>
                """),
            _ => Respond(HttpStatusCode.OK, "body", ("ETag", "\"841a2d689ad86bd1611447453c22c6fc\"")), // the MD5 of the body, which the SDK checks on a GET
        });
        using var opener = new ObjectStoreOpener(new S3Encryption(OutputEncryption.S3, string.Empty), () => Client(handler), expectedBucketOwner: "123456789012");
        var store = opener.Open("s3://bucket/records/");

        // When it lists (whole and one level), downloads, uploads and deletes
        await foreach (var _ in store.ListAsync(string.Empty, CancellationToken.None))
        {
        }

        await store.ListLevelAsync(string.Empty, CancellationToken.None);
        await store.DownloadAsync("a.json.gz", _file, CancellationToken.None);
        await store.UploadAsync(_file, "b.json.gz", "application/json", CancellationToken.None);
        await store.DeleteAsync(["a.json.gz"], CancellationToken.None);

        // Then each of the five requests carries the owner
        Assert.Equal(["GET", "GET", "GET", "PUT", "POST"], handler.Requests.Select(r => r.Method.Method));
        Assert.All(handler.Requests, r => Assert.Equal("123456789012", Header(r, "x-amz-expected-bucket-owner")));
    }

    private static AmazonS3Client Client(HttpMessageHandler handler) => new(
        new BasicAWSCredentials("test", "test"),
        new AmazonS3Config { ServiceURL = "http://s3.test", ForcePathStyle = true, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0, HttpClientFactory = new HandlerFactory(handler) });

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) || (request.Content?.Headers.TryGetValues(name, out values) ?? false) ? string.Join(",", values!) : null;

    private static string Error(string code, string message) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>1</RequestId></Error>""";

    private static HttpResponseMessage Respond(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/xml") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        response.Headers.TryAddWithoutValidation("x-amz-request-id", "1");
        return response;
    }

    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                await request.Content.LoadIntoBufferAsync(cancellationToken);
            }

            Requests.Add(request);
            return respond(request);
        }
    }

    private sealed class HandlerFactory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }
}
