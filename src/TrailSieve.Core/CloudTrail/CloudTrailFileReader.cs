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
    /// ownership of it. Throws <see cref="CloudTrailFormatException"/> when the content is not a CloudTrail file; chunks
    /// already handed on stay with their owner, who must discard them.
    /// </summary>
    public static async Task<CloudTrailReadResult> ReadAsync(
        Stream content,
        RecordReaderOptions options,
        Func<RecordChunk, CancellationToken, ValueTask> onChunk,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onChunk);

        using var decoded = new DecodingStream(content, leaveOpen: true);
        var pipe = PipeReader.Create(decoded, new StreamPipeReaderOptions(bufferSize: PipeBufferSize, minimumReadSize: PipeBufferSize / 4, leaveOpen: true));
        var state = default(CloudTrailReaderState);
        RecordChunk? chunk = null;
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (CloudTrailDocumentReader.TryReadRecord(ref buffer, ref state, result.IsCompleted, options, out var record))
                {
                    chunk ??= new RecordChunk(ChunkCapacity(options, record), state.RecordCount - 1);
                    if (!chunk.TryAppend(record))
                    {
                        var full = chunk;
                        chunk = null;
                        await onChunk(full, cancellationToken).ConfigureAwait(false);
                        chunk = new RecordChunk(ChunkCapacity(options, record), state.RecordCount - 1);
                        chunk.TryAppend(record);
                    }
                }

                pipe.AdvanceTo(buffer.Start, buffer.End);
                if (state.IsComplete)
                {
                    break;
                }

                if (result.IsCompleted)
                {
                    throw new CloudTrailFormatException(CloudTrailErrorKind.TruncatedJson, "truncated JSON: the data ends inside the document");
                }
            }

            if (chunk is not null)
            {
                var last = chunk;
                chunk = null;
                await onChunk(last, cancellationToken).ConfigureAwait(false);
            }

            return new CloudTrailReadResult(state.RecordCount, decoded.SourceBytes, decoded.DecodedBytes, decoded.IsGzip == true, state.IsDigest);
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
