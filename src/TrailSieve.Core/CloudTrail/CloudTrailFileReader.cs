using System.Buffers;
using System.IO.Pipelines;
using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Core.CloudTrail;

/// <summary>
/// Streams one CloudTrail object: gunzips it when its bytes say gzip, reads it through a <see cref="PipeReader"/> and
/// hands its records on in <see cref="RecordChunk"/>s. Memory is bounded by the pipe's buffer, the chunk size and the
/// largest record, never by the object's size.
/// </summary>
public static class CloudTrailFileReader
{
    private const int PipeBufferSize = 128 * 1024;

    /// <summary>
    /// Reads <paramref name="content"/> to its end, passing each full chunk to <paramref name="onChunk"/>, which takes
    /// ownership of it. Throws <see cref="CloudTrailFormatException"/> when the content is not a CloudTrail file (an
    /// unusable record included); chunks already handed on stay with their owner, who must discard them.
    /// </summary>
    public static Task<CloudTrailReadResult> ReadAsync(
        Stream content,
        RecordReaderOptions options,
        Func<RecordChunk, CancellationToken, ValueTask> onChunk,
        CancellationToken cancellationToken) =>
        ReadAsync(content, options, onChunk, onQuarantined: null, cancellationToken);

    /// <summary>
    /// Reads <paramref name="content"/> like the other overload, passing each unusable record to
    /// <paramref name="onQuarantined"/> in its place among the chunks: the chunk before it is handed on first, and the
    /// next chunk starts after it, so every chunk's records are consecutive elements of <c>Records</c>. With a null
    /// <paramref name="onQuarantined"/>, an unusable record fails the content.
    /// </summary>
    public static async Task<CloudTrailReadResult> ReadAsync(
        Stream content,
        RecordReaderOptions options,
        Func<RecordChunk, CancellationToken, ValueTask> onChunk,
        Func<QuarantinedRecord, CancellationToken, ValueTask>? onQuarantined,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onChunk);

        using var decoded = new DecodingStream(content, options.Codec, leaveOpen: true);
        var pipe = PipeReader.Create(decoded, new StreamPipeReaderOptions(bufferSize: PipeBufferSize, minimumReadSize: PipeBufferSize / 4, leaveOpen: true));
        var state = default(CloudTrailReaderState);
        RecordChunk? chunk = null;
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, result.IsCompleted, options, out var record, out var quarantined))
                {
                    if (quarantined is not null)
                    {
                        if (onQuarantined is null)
                        {
                            throw quarantined.ToException();
                        }

                        if (chunk is not null)
                        {
                            var before = chunk;
                            chunk = null;
                            await onChunk(before, cancellationToken).ConfigureAwait(false);
                        }

                        await onQuarantined(quarantined, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    var index = state.ElementIndex - 1;
                    var offset = state.BytesConsumed - record.Length;
                    chunk ??= new RecordChunk(ChunkCapacity(options, record), index);
                    if (!chunk.TryAppend(record, offset))
                    {
                        var full = chunk;
                        chunk = null;
                        await onChunk(full, cancellationToken).ConfigureAwait(false);
                        chunk = new RecordChunk(ChunkCapacity(options, record), index);
                        chunk.TryAppend(record, offset);
                    }
                }

                pipe.AdvanceTo(buffer.Start, buffer.End);
                if (state.IsComplete)
                {
                    break;
                }

                if (result.IsCompleted)
                {
                    throw new CloudTrailFormatException(
                        CloudTrailErrorKind.TruncatedJson, $"truncated JSON: the data ends inside the document, at byte {state.BytesConsumed}");
                }
            }

            if (chunk is not null)
            {
                var last = chunk;
                chunk = null;
                await onChunk(last, cancellationToken).ConfigureAwait(false);
            }

            return new CloudTrailReadResult(
                state.RecordCount, decoded.SourceBytes, decoded.DecodedBytes, decoded.IsGzip == true, state.IsDigest, state.QuarantinedCount);
        }
        finally
        {
            chunk?.Dispose();
            await pipe.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static int ChunkCapacity(RecordReaderOptions options, in ReadOnlySequence<byte> record) =>
        (int)Math.Max(options.ChunkBytes, record.Length);
}
