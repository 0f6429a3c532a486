using System.Diagnostics;
using System.Threading.Channels;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Stage 1, K readers: opens each object, streams it through the record reader and emits its records in numbered
/// chunks (an unusable record in a chunk of its own, for the quarantine), then its end saying how reading ended. A bad
/// object ends in its end chunk; the stage goes on.
/// </summary>
internal sealed class ReadStage(int parallelism, RecordReaderOptions readerOptions, TimeProvider timeProvider)
{
    public Task RunAsync(ChannelReader<SourceObject> input, ChannelWriter<ReadChunk> output, CancellationToken cancellationToken) =>
        StageWorkers.RunAsync(parallelism, () => ReadLoopAsync(input, output, cancellationToken), output);

    private async Task ReadLoopAsync(ChannelReader<SourceObject> input, ChannelWriter<ReadChunk> output, CancellationToken cancellationToken)
    {
        while (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (input.TryRead(out var source))
            {
                await ReadObjectAsync(source, output, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadObjectAsync(SourceObject source, ChannelWriter<ReadChunk> output, CancellationToken cancellationToken)
    {
        var activity = TrailSieveActivity.Source.StartActivity("object process", ActivityKind.Internal, source.ParentContext);
        activity?.SetTag("trailsieve.object", source.Name);
        var obj = new TrackedObject(source, timeProvider.GetTimestamp(), activity);
        long sequence = 0;
        var end = source.IsDigestByName ? ReadEnd.Digest : null;
        if (end is null)
        {
            using var reading = TrailSieveActivity.Source.StartActivity("object read", ActivityKind.Internal, activity?.Context ?? default);
            try
            {
                var content = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    var result = await CloudTrailFileReader.ReadAsync(
                        content,
                        readerOptions,
                        (chunk, ct) => output.WriteAsync(ReadChunk.Of(obj, sequence++, chunk), ct),
                        (quarantined, ct) => output.WriteAsync(ReadChunk.QuarantineOf(obj, sequence++, quarantined), ct),
                        cancellationToken).ConfigureAwait(false);
                    end = new ReadEnd(result.SourceBytes, result.DecodedBytes, result.IsDigest, SkipReason: null, Error: null, (content as IVersionedContent)?.Version);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ObjectSkippedException ex)
            {
                end = new ReadEnd(0, 0, IsDigest: false, ex.Message, Error: null);
            }
            catch (Exception ex)
            {
                // Only this object fails: its end carries the reason to the writer, which logs and reports it once
                // (event 103, with its error type).
                end = new ReadEnd(0, 0, IsDigest: false, SkipReason: null, ex);
                reading?.SetStatus(ActivityStatusCode.Error, ex.Message);
            }
        }

        await output.WriteAsync(ReadChunk.EndOf(obj, sequence, end), cancellationToken).ConfigureAwait(false);
    }
}
