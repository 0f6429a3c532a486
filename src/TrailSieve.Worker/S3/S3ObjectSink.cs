using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using TrailSieve.Worker.Aws;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.S3;

/// <summary>
/// Output objects in S3: buffered up to one part, then PutObject; larger ones go through a multipart upload whose
/// parts are sent as they fill and which is completed on commit (aborted when the object is abandoned), so nothing
/// appears under the key before it is whole. Every object: application/json, Content-Encoding gzip, SSE as configured.
/// Every PutObject and UploadPart carries a CRC32 checksum (<see cref="UploadChecksum"/>) that S3 verifies against the
/// bytes it received, refusing a body changed on the way (BadDigest, retried: the buffer is sent again whole); the
/// multipart upload is created for CRC32 and completed with each part's checksum. Every request carries <paramref name="expectedBucketOwner"/> when set; a 403
/// becomes a <see cref="BucketAccessDeniedException"/> naming the bucket.
/// </summary>
internal sealed class S3ObjectSink(
    IAmazonS3 s3, OutputOptions options, ResiliencePipeline resilience, TrailSieveMetrics metrics, TimeProvider timeProvider, string? expectedBucketOwner = null) : ILedgeredSink
{
    private string? Owner { get; } = string.IsNullOrEmpty(expectedBucketOwner) ? null : expectedBucketOwner;

    private TrailSieveMetrics Metrics { get; } = metrics;

    private TimeProvider Time { get; } = timeProvider;

    private IAmazonS3 S3 { get; } = s3;

    private OutputOptions Options { get; } = options;

    private ResiliencePipeline Resilience { get; } = resilience;

    public string Describe(string key) => $"s3://{Options.Bucket}/{key}";

    public ILedgerStore CreateLedgerStore() => new S3LedgerStore(S3, Options, Resilience, Metrics, Time, Owner);

    public ValueTask<IOutputObject> CreateAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IOutputObject>(new S3OutputObject(this, key));

    private void ApplyHeaders(PutObjectRequest request)
    {
        request.ChecksumAlgorithm = UploadChecksum.Algorithm;
        request.ExpectedBucketOwner = Owner;
        request.ContentType = "application/json";
        request.Headers.ContentEncoding = "gzip";
        ApplyEncryption(m => request.ServerSideEncryptionMethod = m, k => request.ServerSideEncryptionKeyManagementServiceKeyId = k, b => request.BucketKeyEnabled = b);
    }

    private void ApplyHeaders(InitiateMultipartUploadRequest request)
    {
        request.ChecksumAlgorithm = UploadChecksum.Algorithm;
        request.ExpectedBucketOwner = Owner;
        request.ContentType = "application/json";
        request.Headers.ContentEncoding = "gzip";
        ApplyEncryption(m => request.ServerSideEncryptionMethod = m, k => request.ServerSideEncryptionKeyManagementServiceKeyId = k, b => request.BucketKeyEnabled = b);
    }

    private void ApplyEncryption(Action<ServerSideEncryptionMethod> setMethod, Action<string> setKey, Action<bool> setBucketKey) =>
        S3Encryption.From(Options).Apply(setMethod, setKey, setBucketKey);

    /// <summary>One call through the retry pipeline; a 403 that remains becomes a <see cref="BucketAccessDeniedException"/> naming the bucket and key.</summary>
    private async Task<T> CallAsync<T>(string action, string key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await Resilience.ExecuteAsync(async ct => await call(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (AwsErrors.IsAccessDenied(ex))
        {
            throw BucketAccessDeniedException.For(Describe(key), Options.Bucket, Owner, action, ex);
        }
    }

    private sealed class S3OutputObject(S3ObjectSink sink, string key) : IOutputObject
    {
        private readonly List<PartETag> _parts = [];
        private MemoryStream _buffer = new();
        private string? _uploadId;
        private bool _committed;

        public string Key => key;

        public long Length { get; private set; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            _buffer.Write(data.Span);
            Length += data.Length;
            if (_buffer.Length >= sink.Options.PartBytes)
            {
                await UploadPartAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            var started = sink.Time.GetTimestamp();
            if (_uploadId is null)
            {
                var checksum = UploadChecksum.Crc32Of(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
                await sink.CallAsync(
                    "PutObject",
                    key,
                    async ct =>
                    {
                        var request = new PutObjectRequest { BucketName = sink.Options.Bucket, Key = key, InputStream = Buffered(), ChecksumCRC32 = checksum };
                        sink.ApplyHeaders(request);
                        return await sink.S3.PutObjectAsync(request, ct).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (_buffer.Length > 0)
                {
                    await UploadPartAsync(cancellationToken).ConfigureAwait(false);
                }

                await sink.CallAsync(
                    "CompleteMultipartUpload",
                    key,
                    async ct => await sink.S3.CompleteMultipartUploadAsync(
                        new CompleteMultipartUploadRequest
                        {
                            BucketName = sink.Options.Bucket, Key = key, UploadId = _uploadId, PartETags = _parts, ExpectedBucketOwner = sink.Owner,
                        },
                        ct).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
            }

            _committed = true;
            sink.Metrics.S3Request("put", sink.Time.GetElapsedTime(started));
        }

        public async ValueTask DisposeAsync()
        {
            if (!_committed && _uploadId is not null)
            {
                try
                {
                    await sink.Resilience.ExecuteAsync(
                        async ct => await sink.S3.AbortMultipartUploadAsync(
                            new AbortMultipartUploadRequest { BucketName = sink.Options.Bucket, Key = key, UploadId = _uploadId, ExpectedBucketOwner = sink.Owner },
                            ct).ConfigureAwait(false),
                        CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (AwsErrors.IsAwsFailure(ex))
                {
                    // Best effort: an incomplete upload is invisible, and a bucket lifecycle rule should expire leftovers.
                }
            }

            await _buffer.DisposeAsync().ConfigureAwait(false);
        }

        /// <summary>A fresh read-only view of the buffered bytes (no copy); a fresh one per attempt, so a retry re-reads them whole.</summary>
        private MemoryStream Buffered() => new(_buffer.GetBuffer(), 0, (int)_buffer.Length, writable: false);

        private async Task UploadPartAsync(CancellationToken cancellationToken)
        {
            if (_uploadId is null)
            {
                var initiate = new InitiateMultipartUploadRequest { BucketName = sink.Options.Bucket, Key = key };
                sink.ApplyHeaders(initiate);
                var started = await sink.CallAsync(
                    "CreateMultipartUpload", key, async ct => await sink.S3.InitiateMultipartUploadAsync(initiate, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                _uploadId = started.UploadId;
            }

            var partNumber = _parts.Count + 1;
            var partSize = _buffer.Length;
            var checksum = UploadChecksum.Crc32Of(_buffer.GetBuffer().AsSpan(0, (int)partSize));
            var response = await sink.CallAsync(
                "UploadPart",
                key,
                async ct => await sink.S3.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = sink.Options.Bucket,
                        Key = key,
                        UploadId = _uploadId,
                        PartNumber = partNumber,
                        InputStream = Buffered(),
                        PartSize = partSize,
                        ChecksumAlgorithm = UploadChecksum.Algorithm,
                        ChecksumCRC32 = checksum,
                        ExpectedBucketOwner = sink.Owner,
                    },
                    ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            // A upload created for CRC32 is completed with every part's checksum (S3 checks them against the parts it holds).
            _parts.Add(new PartETag(partNumber, response.ETag) { ChecksumCRC32 = checksum });
            await _buffer.DisposeAsync().ConfigureAwait(false);
            _buffer = new MemoryStream();
        }
    }
}
