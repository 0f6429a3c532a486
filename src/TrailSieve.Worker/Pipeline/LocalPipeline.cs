using System.Threading.Channels;
using TrailSieve.Worker.Options;

namespace TrailSieve.Worker.Pipeline;

/// <summary>
/// The local pipeline (<c>filter</c>, <c>dryrun</c>, <c>backfill</c>), composed in one place:
/// <code>
/// inputs ─► objects [ObjectQueueCapacity] ─► ReadStage (K) ─► chunks [ChunkQueueCapacity] ─► FilterStage (P)
///        ─► filtered [ChunkQueueCapacity] ─► WriteStage (1) ─► sink, and outcomes [OutcomeCapacity] ─► onOutcome
/// </code>
/// Every channel is bounded with FullMode Wait, so a slow sink slows the filter, which slows the readers, which stop
/// taking objects. Each stage completes its output channel when it ends (the feeder completes objects, the readers
/// chunks, the filter workers filtered, the writer outcomes); a faulted stage cancels the others so that none waits
/// forever on a channel nobody drains. The service's composition is <c>Hosting/ServiceTopology</c>.
/// </summary>
internal sealed class LocalPipeline(PipelineStages stages, PipelineOptions options)
{
    /// <summary>Creates the bounded channel a source feeds objects into.</summary>
    public Channel<SourceObject> CreateObjectChannel() => PipelineChannels.Bounded<SourceObject>(options.ObjectQueueCapacity);

    /// <summary>Feeds <paramref name="inputs"/> in and runs to the end.</summary>
    public async Task RunAsync(IEnumerable<SourceObject> inputs, Action<ObjectOutcome> onOutcome, CancellationToken cancellationToken)
    {
        var objects = CreateObjectChannel();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(
            StageWorkers.CancelOnFaultAsync(FeedAsync(inputs, objects.Writer, stop.Token), stop),
            StageWorkers.CancelOnFaultAsync(RunAsync(objects.Reader, onOutcome, stop.Token), stop)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs until <paramref name="objects"/> completes and every object's outcome has been handed to
    /// <paramref name="onOutcome"/> (called on one task, in the order outcomes are final).
    /// </summary>
    public async Task RunAsync(ChannelReader<SourceObject> objects, Action<ObjectOutcome> onOutcome, CancellationToken cancellationToken)
    {
        var chunks = PipelineChannels.Bounded<ReadChunk>(options.ChunkQueueCapacity);
        var filtered = PipelineChannels.Bounded<FilteredChunk>(options.ChunkQueueCapacity, singleReader: true);
        var outcomes = PipelineChannels.Bounded<ObjectOutcome>(PipelineChannels.OutcomeCapacity, singleReader: true, singleWriter: true);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(
            StageWorkers.CancelOnFaultAsync(stages.Read.RunAsync(objects, chunks.Writer, stop.Token), stop),
            StageWorkers.CancelOnFaultAsync(stages.Filter.RunAsync(chunks.Reader, filtered.Writer, stop.Token), stop),
            StageWorkers.CancelOnFaultAsync(stages.Write.RunAsync(filtered.Reader, outcomes.Writer, stop.Token), stop),
            StageWorkers.CancelOnFaultAsync(ConsumeAsync(outcomes.Reader, onOutcome), stop)).ConfigureAwait(false);
    }

    /// <summary>Hands each outcome on until the writer completes the channel (with its fault, if it failed).</summary>
    private static async Task ConsumeAsync(ChannelReader<ObjectOutcome> outcomes, Action<ObjectOutcome> onOutcome)
    {
        // Not cancelled by the stop token: the writer completes the channel however it ends, and what it reported
        // before must still reach the consumer (backfill checkpoints it).
        while (await outcomes.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (outcomes.TryRead(out var outcome))
            {
                onOutcome(outcome);
            }
        }
    }

    private static Task FeedAsync(IEnumerable<SourceObject> inputs, ChannelWriter<SourceObject> writer, CancellationToken cancellationToken) =>
        StageWorkers.RunAsync(
            1,
            async () =>
            {
                foreach (var input in inputs)
                {
                    await writer.WriteAsync(input, cancellationToken).ConfigureAwait(false);
                }
            },
            writer);
}
