using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using TrailSieve.IntegrationTests.TestSupport;

namespace TrailSieve.IntegrationTests.Smoke;

/// <summary>The S3 calls TrailSieve makes, against the endpoint the fixture chose: proof that it is a real API for the SDK.</summary>
[Collection(AwsCollectionDefinition.Name)]
[Trait("Category", "Integration")]
public sealed class S3SmokeTests(AwsEndpointFixture aws) : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private readonly IAmazonS3 _s3 = aws.CreateS3Client();
    private string _bucket = "";

    public async Task InitializeAsync() => _bucket = await aws.CreateBucketAsync("s3-smoke");

    public async Task DisposeAsync()
    {
        await aws.DeleteBucketAsync(_bucket);
        _s3.Dispose();
    }

    [Fact]
    public async Task PutObject_GzipJsonWithHeaders_GetObjectStreamsSameBytes()
    {
        // Given a CloudTrail-like gzip body
        var body = GzipJson("""{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject"}]}""");
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = "AWSLogs/111111111111/CloudTrail/us-east-1/2026/01/02/a.json.gz",
            InputStream = new MemoryStream(body),
            ContentType = "application/json",
        };
        request.Headers.ContentEncoding = "gzip";

        // When it is stored and streamed back
        await _s3.PutObjectAsync(request);
        using var response = await _s3.GetObjectAsync(_bucket, request.Key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);

        // Then the bytes are identical (no transparent decompression anywhere) and the content type is kept
        Assert.Equal(body, copy.ToArray());
        Assert.Equal(body.Length, response.ContentLength);
        Assert.Equal("application/json", response.Headers.ContentType);
        if (aws.IsFauxqs)
        {
            // Known gap of fauxqs 1.9.2: it does not store Content-Encoding (only Content-Type and x-amz-meta-*).
            Assert.True(string.IsNullOrEmpty(response.Headers.ContentEncoding), "fauxqs now returns Content-Encoding: tighten this test");
        }
        else
        {
            Assert.Equal("gzip", response.Headers.ContentEncoding);
        }
    }

    [Fact]
    public async Task MultipartUpload_ThreeParts_CompletedObjectReadsBack()
    {
        // Given 11 MiB of random bytes in parts of 5 MiB, 5 MiB and 1 MiB (every part but the last must be >= 5 MiB)
        var data = RandomNumberGenerator.GetBytes((5 * MiB) + (5 * MiB) + MiB);
        int[] partSizes = [5 * MiB, 5 * MiB, MiB];
        const string key = "out/multipart.json.gz";
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket, Key = key, ContentType = "application/json",
        });

        // When the parts are uploaded and the upload completed
        var etags = new List<PartETag>();
        var offset = 0;
        for (var part = 1; part <= partSizes.Length; part++)
        {
            var size = partSizes[part - 1];
            var uploaded = await _s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = part,
                InputStream = new MemoryStream(data, offset, size, writable: false), PartSize = size,
            });
            etags.Add(new PartETag { PartNumber = part, ETag = uploaded.ETag });
            offset += size;
        }

        var completed = await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = etags,
        });

        // Then the object is the concatenation, with a multipart ETag ("...-3")
        Assert.EndsWith("-3\"", completed.ETag, StringComparison.Ordinal);
        using var response = await _s3.GetObjectAsync(_bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(copy.ToArray()));
        Assert.Equal("application/json", response.Headers.ContentType);
    }

    [Fact]
    public async Task ListObjectsV2_PrefixAndPages_ReturnsOnlyMatchingKeysInOrder()
    {
        // Given four keys under a CloudTrail day prefix and one elsewhere
        const string prefix = "AWSLogs/111111111111/CloudTrail/us-east-1/2026/01/02/";
        string[] inside = [prefix + "a.json.gz", prefix + "b.json.gz", prefix + "c.json.gz", prefix + "d.json.gz"];
        foreach (var key in inside.Append("AWSLogs/111111111111/CloudTrail/us-east-1/2026/01/03/e.json.gz"))
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "{}" });
        }

        // When listed by prefix, two keys per page
        var listed = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, MaxKeys = 2, ContinuationToken = token });
            listed.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
        }
        while (token is not null && pages < 10);

        // Then exactly the prefix's keys, in lexicographic order, over two pages
        Assert.Equal(inside, listed);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task PutObject_WithSseS3_IsStoredAndReadable()
    {
        // Given an object written with SSE-S3, as the output sink does when configured
        var body = GzipJson("""{"Records":[]}""");

        // When
        var put = await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = "out/sse.json.gz", InputStream = new MemoryStream(body),
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        });
        using var response = await _s3.GetObjectAsync(_bucket, "out/sse.json.gz");
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);

        // Then the request is accepted and the object reads back; only a real S3 API reports the encryption
        Assert.Equal(body, copy.ToArray());
        if (aws.IsFauxqs)
        {
            // Known gap of fauxqs 1.9.2: SSE headers are accepted and ignored, never echoed.
            Assert.Null(put.ServerSideEncryptionMethod?.Value);
        }
        else
        {
            Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
        }
    }

    private static byte[] GzipJson(string json)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return output.ToArray();
    }
}
