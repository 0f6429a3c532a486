using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;

namespace TrailSieve.Worker.Tests.S3;

/// <summary>
/// A tiny S3 behind a real <see cref="AmazonS3Client"/> (as its HTTP handler): PutObject, the multipart calls and
/// GetObject of what was stored, and nothing else. Like S3, it verifies an upload's <c>x-amz-checksum-crc32</c>, in a
/// header or in the aws-chunked trailer, against the bytes it received, and answers 400 BadDigest when they differ
/// (fauxqs, the integration tests' emulator, does not check checksums). <see cref="Corrupt"/> changes a body on the
/// way, after the SDK computed its checksum. Every request is recorded with its decoded body and checksum.
/// </summary>
internal sealed class FakeS3 : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SortedDictionary<int, byte[]>> _uploads = new(StringComparer.Ordinal);
    private int _uploadIds;

    public List<Recorded> Requests { get; } = [];

    /// <summary>Flips one byte of the body of the next this many uploads (PutObject or UploadPart) before they are checked.</summary>
    public int Corrupt { get; set; }

    /// <summary>A status and S3 error code to answer every request with, e.g. 403 AccessDenied.</summary>
    public (HttpStatusCode Status, string Code)? Refuse { get; set; }

    /// <summary>GET answers announce this many bytes more in Content-Length than they send, as a cut connection does.</summary>
    public int ShortBodies { get; set; }

    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    public void Store(string bucket, string key, byte[] body) => _objects[$"/{bucket}/{key}"] = body;

    public AmazonS3Client Client(Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = "http://s3.test", ForcePathStyle = true, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0, HttpClientFactory = new Factory(this),
        };
        configure?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var raw = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        var (body, trailers) = IsChunked(headers) ? DecodeChunked(raw) : (raw, new Dictionary<string, string>(StringComparer.Ordinal));
        var checksum = headers.GetValueOrDefault("x-amz-checksum-crc32") ?? trailers.GetValueOrDefault("x-amz-checksum-crc32");
        var query = request.RequestUri!.Query;
        var path = Uri.UnescapeDataString(request.RequestUri.AbsolutePath);
        var isUpload = request.Method == HttpMethod.Put && (!query.Contains("uploadId", StringComparison.Ordinal) || query.Contains("partNumber", StringComparison.Ordinal));
        if (isUpload && Corrupt > 0 && body.Length > 0)
        {
            Corrupt--;
            body = [.. body];
            body[body.Length / 2] ^= 0xFF;
        }

        lock (Requests)
        {
            Requests.Add(new Recorded(request.Method, path, query, headers, body, checksum));
        }

        if (Refuse is { } refuse)
        {
            return Error(refuse.Status, refuse.Code);
        }

        if (isUpload && checksum is not null && checksum != Crc32.Base64(body))
        {
            return Error(HttpStatusCode.BadRequest, "BadDigest");
        }

        return (request.Method.Method, query) switch
        {
            ("PUT", var q) when q.Contains("partNumber", StringComparison.Ordinal) => Part(path, q, body, checksum),
            ("PUT", _) => Stored(path, body, checksum),
            ("POST", var q) when q.Contains("uploads", StringComparison.Ordinal) => Initiate(path),
            ("POST", var q) when q.Contains("uploadId", StringComparison.Ordinal) => Complete(path, q),
            ("DELETE", var q) when q.Contains("uploadId", StringComparison.Ordinal) => Respond(HttpStatusCode.NoContent, []),
            ("GET", var q) when q.Contains("list-type", StringComparison.Ordinal) => Listed(path),
            ("GET", _) when _objects.TryGetValue(path, out var stored) => Got(stored),
            _ => Error(HttpStatusCode.NotFound, "NoSuchKey"),
        };
    }

    private static bool IsChunked(Dictionary<string, string> headers) =>
        headers.GetValueOrDefault("content-encoding", string.Empty).Contains("aws-chunked", StringComparison.Ordinal)
        || headers.GetValueOrDefault("x-amz-content-sha256", string.Empty).StartsWith("STREAMING-", StringComparison.Ordinal);

    /// <summary>aws-chunked: <c>hex-size[;chunk-signature=...]\r\n data \r\n</c> ... <c>0\r\n</c>, then trailer lines <c>name:value\r\n</c>.</summary>
    private static (byte[] Body, Dictionary<string, string> Trailers) DecodeChunked(byte[] raw)
    {
        var body = new MemoryStream();
        var trailers = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = 0;
        while (true)
        {
            var line = ReadLine(raw, ref at);
            var size = Convert.ToInt32(line.Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            body.Write(raw, at, size);
            at += size;
            ReadLine(raw, ref at);
        }

        for (var line = ReadLine(raw, ref at); line.Length > 0; line = ReadLine(raw, ref at))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            trailers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        return (body.ToArray(), trailers);
    }

    private static string ReadLine(byte[] raw, ref int at)
    {
        if (at >= raw.Length)
        {
            return string.Empty;
        }

        var end = Array.IndexOf(raw, (byte)'\n', at);
        end = end < 0 ? raw.Length : end;
        var line = Encoding.ASCII.GetString(raw, at, end - at).TrimEnd('\r');
        at = end + 1;
        return line;
    }

    private HttpResponseMessage Stored(string path, byte[] body, string? checksum)
    {
        _objects[path] = body;
        return Respond(HttpStatusCode.OK, [], ("ETag", "\"put\""), ("x-amz-checksum-crc32", checksum));
    }

    private HttpResponseMessage Got(byte[] stored)
    {
        var response = Respond(HttpStatusCode.OK, stored);
        response.Content.Headers.ContentLength = stored.Length + ShortBodies;
        return response;
    }

    private static HttpResponseMessage Listed(string path) => Respond(HttpStatusCode.OK, Encoding.UTF8.GetBytes(
        $"""<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>{path.Trim('/')}</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"""));

    private HttpResponseMessage Initiate(string path)
    {
        var id = "upload-" + Interlocked.Increment(ref _uploadIds);
        _uploads[id] = [];
        var (bucket, key) = Split(path);
        return Respond(HttpStatusCode.OK, Encoding.UTF8.GetBytes(
            $"""<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>{bucket}</Bucket><Key>{key}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>"""));
    }

    private HttpResponseMessage Part(string path, string query, byte[] body, string? checksum)
    {
        var parameters = System.Web.HttpUtility.ParseQueryString(query);
        if (!_uploads.TryGetValue(parameters["uploadId"]!, out var parts))
        {
            return Error(HttpStatusCode.NotFound, "NoSuchUpload");
        }

        var number = int.Parse(parameters["partNumber"]!, System.Globalization.CultureInfo.InvariantCulture);
        lock (parts)
        {
            parts[number] = body;
        }

        return Respond(HttpStatusCode.OK, [], ("ETag", $"\"part-{number}-{path.Length}\""), ("x-amz-checksum-crc32", checksum));
    }

    private HttpResponseMessage Complete(string path, string query)
    {
        var id = System.Web.HttpUtility.ParseQueryString(query)["uploadId"]!;
        if (!_uploads.TryRemove(id, out var parts))
        {
            return Error(HttpStatusCode.NotFound, "NoSuchUpload");
        }

        _objects[path] = [.. parts.Values.SelectMany(p => p)];
        var (bucket, key) = Split(path);
        return Respond(HttpStatusCode.OK, Encoding.UTF8.GetBytes(
            $"""<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>{bucket}</Bucket><Key>{key}</Key><ETag>"done"</ETag></CompleteMultipartUploadResult>"""));
    }

    private static (string Bucket, string Key) Split(string path)
    {
        var trimmed = path.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return (trimmed[..slash], trimmed[(slash + 1)..]);
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code) => Respond(
        status,
        Encoding.UTF8.GetBytes($"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{code} from the fake</Message><RequestId>1</RequestId></Error>"""));

    private static HttpResponseMessage Respond(HttpStatusCode status, byte[] body, params (string Name, string? Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentLength = body.Length;
        foreach (var (name, value) in headers)
        {
            if (value is not null)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }
        }

        response.Headers.TryAddWithoutValidation("x-amz-request-id", "1");
        return response;
    }

    /// <summary>One request as the fake received it: the body decoded from aws-chunked, the CRC32 from its header or trailer.</summary>
    internal sealed record Recorded(HttpMethod Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, string? Checksum)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }

    private sealed class Factory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }
}
