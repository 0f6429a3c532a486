using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Sqs;
using TrailSieve.Worker.Tests.TestSupport;
using static TrailSieve.Worker.Tests.Detections.DetectionsTestData;

namespace TrailSieve.Worker.Tests.Detections;

/// <summary>
/// When findings objects are committed while the input stays open (as in the service): by age and by size, on a fake
/// clock. An object, and so its SQS message, is done only once the findings object holding its findings is committed,
/// even in mirror mode, where its own output is committed at its end.
/// </summary>
public sealed class FindingsFlushTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset s_t0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_FindingsObjectReachesMaxAge_CommittedThen_AndOnlyThenIsItsObjectDone()
    {
        // Given a mirror pipeline on a fake clock, findings flushed after 60 s, fed through a channel that stays open;
        // an object announced by an SQS message, with one root call (one finding)
        var time = new FakeTimeProvider(s_t0);
        var (harness, alerts) = Harness(OutputMode.Mirror, KeepAllWithThreats(), maxAge: TimeSpan.FromSeconds(60), time: time, pipeline: PipelineHarness.OrderedPipeline());
        using var registry = new InFlightRegistry(4, new FlushSignal());
        await registry.ReserveAsync(1, CancellationToken.None);
        var message = registry.Add(new QueueMessage("m1", "receipt", "{}", 1, null), 1, 0, s_t0);
        var pipeline = harness.Create();
        var objects = pipeline.CreateObjectChannel();
        var run = pipeline.RunAsync(objects.Reader, CancellationToken.None);
        await objects.Writer.WriteAsync(PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document([RootCall(s_t0)]), message));

        // When the writer has taken it whole (an object fed after it is done) and the clock stands at 59 s
        await FeedAndWaitAsync(harness, objects.Writer, "quiet-1.json.gz");
        time.Advance(TimeSpan.FromSeconds(59));
        await FeedAndWaitAsync(harness, objects.Writer, "quiet-2.json.gz");

        // Then its own output is committed, but its finding is not, so neither it nor its message is done
        Assert.True(harness.Sink.Committed.ContainsKey("a.json.gz"));
        Assert.Empty(alerts.Committed);
        Assert.False(harness.CompletionOf("a.json.gz").IsCompleted);
        Assert.False(harness.Deletes.Reader.TryPeek(out _));

        // When the findings object turns 60 s old
        time.Advance(TimeSpan.FromSeconds(1));
        var outcome = await harness.CompletionOf("a.json.gz").WaitAsync(s_wait);

        // Then it is committed with the finding, and the object is done and its message deletable
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        var committed = Assert.Single(alerts.Committed);
        Assert.Matches(@"^alerts/2026/03/01/findings-[A-Za-z0-9]{16}\.jsonl\.gz$", committed.Key);
        Assert.Equal(["Root account usage"], Findings(alerts).Select(f => f.GetProperty("detection").GetString()));
        await harness.Deletes.Reader.WaitToReadAsync().AsTask().WaitAsync(s_wait);
        Assert.True(harness.Deletes.Reader.TryRead(out var deletable));
        Assert.Same(message, deletable);
        objects.Writer.Complete();
        await run.WaitAsync(s_wait);
    }

    [Fact]
    public async Task RunAsync_FindingsObjectReachesMaxBytes_CommittedAtOnce_AndEveryObjectInItIsDone()
    {
        // Given a mirror pipeline on a clock that never moves (no age flush), findings flushed at 3,000 bytes, fed
        // through a channel that stays open; a first object with one finding, well below the limit
        var time = new FakeTimeProvider(s_t0);
        const long maxBytes = 3_000;
        var (harness, alerts) = Harness(OutputMode.Mirror, KeepAllWithThreats(), maxAge: TimeSpan.FromHours(1), maxBytes: maxBytes, time: time, pipeline: PipelineHarness.OrderedPipeline());
        var pipeline = harness.Create();
        var objects = pipeline.CreateObjectChannel();
        var run = pipeline.RunAsync(objects.Reader, CancellationToken.None);
        await objects.Writer.WriteAsync(PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document([RootCall(s_t0)])));
        await FeedAndWaitAsync(harness, objects.Writer, "quiet-1.json.gz");
        Assert.False(harness.CompletionOf("a.json.gz").IsCompleted);
        Assert.Empty(alerts.Committed);

        // When a second object adds four findings to the same day's findings object, taking it past the limit
        await objects.Writer.WriteAsync(PipelineHarness.GzipObject("b.json.gz", OutputDocuments.Document([.. Enumerable.Range(0, 4).Select(i => RootCall(s_t0.AddSeconds(i)))])));
        var outcomes = await Task.WhenAll(harness.CompletionOf("a.json.gz"), harness.CompletionOf("b.json.gz")).WaitAsync(s_wait);

        // Then it is committed at once, holding both objects' findings, and both objects are done
        Assert.All(outcomes, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
        var committed = Assert.Single(alerts.Committed);
        var lines = Lines(committed.Value);
        Assert.Equal(5, lines.Length);
        Assert.True(lines[0].Length + 1 < maxBytes, "one finding alone must stay below the limit");
        Assert.True(lines.Sum(l => l.Length + 1) >= maxBytes, "the five findings must reach the limit");

        // And a finding after that opens a new findings object, which holds its object back until the input ends
        await objects.Writer.WriteAsync(PipelineHarness.GzipObject("c.json.gz", OutputDocuments.Document([RootCall(s_t0)])));
        await FeedAndWaitAsync(harness, objects.Writer, "quiet-2.json.gz");
        Assert.False(harness.CompletionOf("c.json.gz").IsCompleted);
        Assert.Single(alerts.Committed);
        objects.Writer.Complete();
        await run.WaitAsync(s_wait);
        Assert.Equal(ObjectStatus.Succeeded, harness.OutcomeOf("c.json.gz").Status);
        Assert.Equal(2, alerts.Committed.Count);
    }

    /// <summary>Feeds an object without findings and waits until it is done: the writer has taken everything fed before it.</summary>
    private static async Task FeedAndWaitAsync(PipelineHarness harness, ChannelWriter<SourceObject> objects, string key)
    {
        await objects.WriteAsync(PipelineHarness.GzipObject(key, OutputDocuments.Document([Quiet(s_t0)])));
        await harness.CompletionOf(key).WaitAsync(s_wait);
    }
}
