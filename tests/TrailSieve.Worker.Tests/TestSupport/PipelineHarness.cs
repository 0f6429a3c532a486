using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;

namespace TrailSieve.Worker.Tests.TestSupport;

/// <summary>
/// Runs the real stages (<see cref="LocalPipeline"/>) over in-memory objects into an <see cref="InMemorySink"/>, and
/// collects the outcomes. An object whose origin is an SQS message settles it as the service's settler does: once all
/// its objects are in, to <see cref="Deletes"/>, or to <see cref="Abandoned"/> when any failed.
/// </summary>
internal sealed class PipelineHarness
{
    private readonly List<ObjectOutcome> _outcomes = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ObjectOutcome>> _completions = new(StringComparer.Ordinal);

    public InMemorySink Sink { get; } = new();

    public PipelineCounters Counters { get; init; } = new();

    public PipelineOptions Pipeline { get; init; } = DefaultPipeline();

    public OutputOptions Output { get; init; } = new() { Mode = OutputMode.Mirror };

    public CompiledRuleSet Rules { get; init; } = CompiledRuleSet.KeepAll;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The stages' logger (a FakeLogger to assert log lines).</summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Detections' engine and alerts sink, or null (no findings written).</summary>
    public DetectionsRuntime? Detections { get; init; }

    /// <summary>The flush signal the write stage watches (the service's registry raises it when out of room).</summary>
    public FlushSignal Flush { get; } = new();

    /// <summary>Messages whose objects all succeeded or were skipped, in the order they settled.</summary>
    public Channel<InFlightMessage> Deletes { get; } = Channel.CreateUnbounded<InFlightMessage>();

    /// <summary>Messages with a failed object, left for redelivery.</summary>
    public ConcurrentQueue<InFlightMessage> Abandoned { get; } = new();

    public IReadOnlyList<ObjectOutcome> Outcomes
    {
        get
        {
            lock (_outcomes)
            {
                return [.. _outcomes];
            }
        }
    }

    /// <summary>Small chunks and several filter workers, so chunks of one object are filtered in parallel.</summary>
    public static PipelineOptions DefaultPipeline() => new() { FilterParallelism = 4, ChunkBytes = 4096, ChunkQueueCapacity = 2 };

    /// <summary>One reader and one filter worker: objects reach the writer in the order they are fed.</summary>
    public static PipelineOptions OrderedPipeline() => new() { ReadParallelism = 1, FilterParallelism = 1, ChunkBytes = 4096, ChunkQueueCapacity = 2 };

    /// <summary>An in-memory object; <paramref name="origin"/> comes back in its outcome (an SQS message is settled by it).</summary>
    public static SourceObject Object(string key, byte[] content, object? origin = null) => new()
    {
        Name = "test://" + key,
        Key = key,
        OutputKey = key,
        OpenAsync = _ => Task.FromResult<Stream>(new MemoryStream(content)),
        Origin = origin,
    };

    public static SourceObject GzipObject(string key, string json, object? origin = null) => Object(key, Gzip.Compress(json), origin);

    /// <summary>An object of bucket <c>trail</c> as the write stage tracks it (empty content: write-stage tests feed its chunks).</summary>
    public static TrackedObject TrackedS3Object(string key) => new(
        new SourceObject
        {
            Name = "s3://trail/" + key,
            Bucket = "trail",
            Key = key,
            OutputKey = key,
            OpenAsync = _ => Task.FromResult<Stream>(new MemoryStream()),
        },
        0,
        null);

    public Run Create() => new(this, new LocalPipeline(
        PipelineStages.Create(Pipeline, Output, new StaticRuleSetProvider(Rules), Sink, Counters, Flush, Time, Logger, Detections),
        Pipeline));

    public Task RunAsync(params SourceObject[] objects) => Create().RunAsync(objects, CancellationToken.None);

    public ObjectOutcome OutcomeOf(string key) => Outcomes.Single(o => o.Source.Key == key);

    /// <summary>Completes when the object with <paramref name="key"/> is reported (done, failed or skipped).</summary>
    public Task<ObjectOutcome> CompletionOf(string key) => Completion(key).Task;

    private void OnOutcome(ObjectOutcome outcome)
    {
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
        }

        if (outcome.Source.Origin is InFlightMessage message && message.Complete(outcome))
        {
            if (message.AnyFailed)
            {
                Abandoned.Enqueue(message);
            }
            else
            {
                Deletes.Writer.TryWrite(message);
            }
        }

        Completion(outcome.Source.Key).TrySetResult(outcome);
    }

    private TaskCompletionSource<ObjectOutcome> Completion(string key) =>
        _completions.GetOrAdd(key, _ => new TaskCompletionSource<ObjectOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>One composed pipeline whose outcomes go to the harness.</summary>
    internal sealed class Run(PipelineHarness harness, LocalPipeline pipeline)
    {
        public Channel<SourceObject> CreateObjectChannel() => pipeline.CreateObjectChannel();

        public Task RunAsync(IEnumerable<SourceObject> objects, CancellationToken cancellationToken) => pipeline.RunAsync(objects, harness.OnOutcome, cancellationToken);

        public Task RunAsync(ChannelReader<SourceObject> objects, CancellationToken cancellationToken) => pipeline.RunAsync(objects, harness.OnOutcome, cancellationToken);
    }
}
