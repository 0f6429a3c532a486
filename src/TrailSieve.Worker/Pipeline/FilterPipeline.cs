using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// The whole topology in one place:
/// <code>
/// objects ─► ReadStage (K readers) ─► chunks [ChunkQueueCapacity] ─► FilterStage (P workers) ─► filtered [ChunkQueueCapacity] ─► WriteStage (1) ─► sink
/// </code>
/// Every channel is bounded with FullMode Wait, so a slow sink slows the filter, which slows the readers, which stop
/// taking objects. Each stage completes its output channel when it ends; a faulted stage cancels the others so that
/// none waits forever on a channel nobody drains.
/// </summary>
internal sealed class FilterPipeline(
    PipelineOptions pipelineOptions,
    OutputOptions outputOptions,
    IRuleSetProvider rules,
    IObjectSink sink,
    PipelineCounters counters,
    IObjectObserver? observer,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    bool countOnly = false,
    DetectionsRuntime? detections = null)
{
    private WriteStage? _writeStage;
    private ChannelReader<ObjectWork>? _objects;
    private Channel<ChunkWork>? _chunks;
    private Channel<ChunkWork>? _filtered;

    /// <summary>Items waiting in each channel now (the channel-depth gauge); empty before the pipeline runs.</summary>
    public IEnumerable<Measurement<int>> QueueDepths()
    {
        if (Volatile.Read(ref _objects) is { CanCount: true } objects)
        {
            yield return new Measurement<int>(objects.Count, new KeyValuePair<string, object?>("channel", "objects"));
        }

        if (Volatile.Read(ref _chunks) is { } chunks)
        {
            yield return new Measurement<int>(chunks.Reader.Count, new KeyValuePair<string, object?>("channel", "chunks"));
        }

        if (Volatile.Read(ref _filtered) is { } filtered)
        {
            yield return new Measurement<int>(filtered.Reader.Count, new KeyValuePair<string, object?>("channel", "filtered"));
        }
    }

    /// <summary>Commits every open batch as soon as the writer gets to it (see <see cref="WriteStage.RequestFlush"/>).</summary>
    public void RequestFlush() => Volatile.Read(ref _writeStage)?.RequestFlush();

    // countOnly (dry runs): records are evaluated and counted, nothing is compressed or written.
    // detections: findings are raised by the filter workers and written by the writer to the alerts sink; without it,
    // detection hits are only counted (dry runs).

    /// <summary>Creates the bounded channel a source feeds objects into.</summary>
    public Channel<ObjectWork> CreateObjectChannel() =>
        Channel.CreateBounded<ObjectWork>(new BoundedChannelOptions(pipelineOptions.ObjectQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });

    /// <summary>Runs until <paramref name="objects"/> is completed and every object has been written and reported.</summary>
    public async Task RunAsync(ChannelReader<ObjectWork> objects, CancellationToken cancellationToken)
    {
        var chunks = Channel.CreateBounded<ChunkWork>(new BoundedChannelOptions(pipelineOptions.ChunkQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        var filtered = Channel.CreateBounded<ChunkWork>(new BoundedChannelOptions(pipelineOptions.ChunkQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });

        Volatile.Write(ref _objects, objects);
        Volatile.Write(ref _chunks, chunks);
        Volatile.Write(ref _filtered, filtered);
        var logger = loggerFactory.CreateLogger<FilterPipeline>();
        var read = new ReadStage(pipelineOptions.ReadParallelism, pipelineOptions.ToReaderOptions(), timeProvider);
        var filter = new FilterStage(
            pipelineOptions.FilterParallelism, rules, outputOptions.Mode == OutputMode.Batch, !countOnly, pipelineOptions.CompressionLevel, counters, logger, countOnly ? null : detections);
        var write = new WriteStage(sink, outputOptions, counters, observer, timeProvider, logger, countOnly ? null : detections);
        Volatile.Write(ref _writeStage, write);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(
            CancelOthersOnFaultAsync(read.RunAsync(objects, chunks.Writer, stop.Token), stop),
            CancelOthersOnFaultAsync(filter.RunAsync(chunks.Reader, filtered.Writer, stop.Token), stop),
            CancelOthersOnFaultAsync(write.RunAsync(filtered.Reader, stop.Token), stop)).ConfigureAwait(false);
    }

    /// <summary>Feeds <paramref name="objects"/> in and runs to the end (the local commands).</summary>
    public async Task RunAsync(IEnumerable<ObjectWork> objects, CancellationToken cancellationToken)
    {
        var channel = CreateObjectChannel();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(
            CancelOthersOnFaultAsync(FeedAsync(objects, channel.Writer, stop.Token), stop),
            CancelOthersOnFaultAsync(RunAsync(channel.Reader, stop.Token), stop)).ConfigureAwait(false);
    }

    private static Task FeedAsync(IEnumerable<ObjectWork> objects, ChannelWriter<ObjectWork> writer, CancellationToken cancellationToken) =>
        StageWorkers.RunAsync(
            1,
            async () =>
            {
                foreach (var work in objects)
                {
                    await writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
                }
            },
            writer);

    private static async Task CancelOthersOnFaultAsync(Task stage, CancellationTokenSource stop)
    {
        try
        {
            await stage.ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
