using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;

namespace TrailSieve.Worker.Tests.TestSupport;

/// <summary>Runs the real pipeline over in-memory objects into an <see cref="InMemorySink"/>.</summary>
internal sealed class PipelineHarness : IObjectObserver
{
    private readonly List<ObjectOutcome> _outcomes = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ObjectOutcome>> _completions = new(StringComparer.Ordinal);

    public InMemorySink Sink { get; } = new();

    public PipelineCounters Counters { get; init; } = new();

    public PipelineOptions Pipeline { get; init; } = DefaultPipeline();

    public OutputOptions Output { get; init; } = new() { Mode = OutputMode.Mirror };

    public CompiledRuleSet Rules { get; init; } = CompiledRuleSet.KeepAll;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Detections' engine and alerts sink, or null (no findings written).</summary>
    public DetectionsRuntime? Detections { get; init; }

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

    /// <summary>An in-memory object; <paramref name="observer"/> is told its outcome, as an SQS message is.</summary>
    public static ObjectWork Object(string key, byte[] content, IObjectObserver? observer = null) => new()
    {
        Name = "test://" + key,
        Key = key,
        OutputKey = key,
        OpenAsync = _ => Task.FromResult<Stream>(new MemoryStream(content)),
        Observer = observer,
    };

    public static ObjectWork GzipObject(string key, string json, IObjectObserver? observer = null) => Object(key, Gzip.Compress(json), observer);

    public FilterPipeline Create() => new(Pipeline, Output, new StaticRuleSetProvider(Rules), Sink, Counters, this, Time, NullLoggerFactory.Instance, detections: Detections);

    public Task RunAsync(params ObjectWork[] objects) => Create().RunAsync(objects, CancellationToken.None);

    public ObjectOutcome OutcomeOf(string key) => Outcomes.Single(o => o.Work.Key == key);

    /// <summary>Completes when the object with <paramref name="key"/> is reported (done, failed or skipped).</summary>
    public Task<ObjectOutcome> CompletionOf(string key) => Completion(key).Task;

    public void OnCompleted(ObjectOutcome outcome)
    {
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
        }

        Completion(outcome.Work.Key).TrySetResult(outcome);
    }

    private TaskCompletionSource<ObjectOutcome> Completion(string key) =>
        _completions.GetOrAdd(key, _ => new TaskCompletionSource<ObjectOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
}
