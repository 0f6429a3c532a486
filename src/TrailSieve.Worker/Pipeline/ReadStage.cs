using System.Threading.Channels;
using System.Diagnostics;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Worker.Diagnostics;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// Stage 1: opens each object, streams it through the record reader and emits its records in numbered chunks,
/// then an end marker saying how reading ended. A bad object ends in its marker; the stage goes on.
/// </summary>
internal sealed class ReadStage(int parallelism, RecordReaderOptions readerOptions, TimeProvider timeProvider)
{
    public Task RunAsync(ChannelReader<ObjectWork> input, ChannelWriter<ChunkWork> output, CancellationToken cancellationToken) =>
        StageWorkers.RunAsync(parallelism, () => ReadLoopAsync(input, output, cancellationToken), output);

    private async Task ReadLoopAsync(ChannelReader<ObjectWork> input, ChannelWriter<ChunkWork> output, CancellationToken cancellationToken)
    {
        while (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (input.TryRead(out var work))
            {
                await ReadObjectAsync(work, output, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadObjectAsync(ObjectWork work, ChannelWriter<ChunkWork> output, CancellationToken cancellationToken)
    {
        var file = new FileContext(work, timeProvider.GetTimestamp())
        {
            Activity = TrailSieveActivity.Source.StartActivity("object process", ActivityKind.Internal, work.ParentContext),
        };
        file.Activity?.SetTag("trailsieve.object", work.Name);
        long sequence = 0;
        if (work.IsDigestByName)
        {
            file.IsDigest = true;
        }
        else
        {
            using var reading = TrailSieveActivity.Source.StartActivity("object read", ActivityKind.Internal, file.Activity?.Context ?? default);
            try
            {
                var content = await work.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    var result = await CloudTrailFileReader.ReadAsync(
                        content,
                        readerOptions,
                        (chunk, ct) => output.WriteAsync(new ChunkWork(file, sequence++, chunk), ct),
                        cancellationToken).ConfigureAwait(false);
                    file.SourceBytes = result.SourceBytes;
                    file.DecodedBytes = result.DecodedBytes;
                    file.IsDigest = result.IsDigest;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ObjectSkippedException ex)
            {
                file.SkipReason = ex.Message;
            }
            catch (Exception ex)
            {
                // Only this object fails: the end marker carries the reason to the writer, which logs and reports it
                // once (event 103, with its error type).
                file.Error = ex;
                reading?.SetStatus(ActivityStatusCode.Error, ex.Message);
            }
        }

        await output.WriteAsync(new ChunkWork(file, sequence, null), cancellationToken).ConfigureAwait(false);
    }
}
