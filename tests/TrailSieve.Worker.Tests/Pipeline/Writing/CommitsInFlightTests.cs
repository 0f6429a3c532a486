using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Pipeline.Writing;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline.Writing;

public class CommitsInFlightTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly ReadEnd Whole = new(10, 20, IsDigest: false, SkipReason: null, Error: null);

    [Fact]
    public async Task StartAsync_AtTheLimit_WaitsForOneToFinishAndSettlesIt()
    {
        // Given a limit of one, and a commit running that is held (each object counts its commit, as the callers do)
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var reporter = new OutcomeReporter(outcomes.Writer, new PipelineCounters(), TimeProvider.System, NullLogger.Instance);
        var commits = new CommitsInFlight(limit: 1);
        var release = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = Progress("a.json.gz", openBatches: 1);
        var b = Progress("b.json.gz", openBatches: 1);
        await commits.StartAsync(() => release.Task, [a], reporter, CancellationToken.None);
        var secondRan = false;

        // When a second commit is started
        var second = commits.StartAsync(
            () =>
            {
                secondRan = true;
                return Task.FromResult<Exception?>(null);
            },
            [b],
            reporter,
            CancellationToken.None);

        // Then it waits: the first is still held, so the second is not started and nothing is reported
        Assert.False(second.IsCompleted);
        Assert.False(secondRan);
        Assert.Equal(1, a.OpenBatches);
        Assert.False(outcomes.Reader.TryRead(out _));

        // When the first commit finishes
        release.SetResult(null);

        // Then the first object is reported, the second commit runs, and settling it reports the second object
        await second.WaitAsync(Timeout);
        var first = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(("a.json.gz", ObjectStatus.Succeeded), (first.Source.Key, first.Status));
        await commits.SettleAllAsync(reporter, CancellationToken.None).WaitAsync(Timeout);
        Assert.True(secondRan);
        var last = await outcomes.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(("b.json.gz", ObjectStatus.Succeeded), (last.Source.Key, last.Status));
        Assert.Equal((0, 0, 0), (a.OpenBatches, b.OpenBatches, commits.Count));
    }

    [Fact]
    public async Task SettleFinishedAsync_ObjectStillInAnOpenBatch_NotReportedUntilThatToo()
    {
        // Given an object held by an open batch (its findings, say) and by a commit, which has finished
        var outcomes = Channel.CreateUnbounded<ObjectOutcome>();
        var reporter = new OutcomeReporter(outcomes.Writer, new PipelineCounters(), TimeProvider.System, NullLogger.Instance);
        var commits = new CommitsInFlight(limit: 4);
        var obj = Progress("a.json.gz", openBatches: 2);
        await commits.StartAsync(() => Task.FromResult<Exception?>(null), [obj], reporter, CancellationToken.None);

        // When it is settled
        await commits.SettleAllAsync(reporter, CancellationToken.None).WaitAsync(Timeout);

        // Then the object waits for the batch: no outcome yet
        Assert.Equal(1, obj.OpenBatches);
        Assert.False(outcomes.Reader.TryRead(out _));
    }

    private static ObjectProgress Progress(string key, int openBatches) =>
        new(new TrackedObject(PipelineHarness.Object(key, []), 0, null)) { End = Whole, OpenBatches = openBatches };
}
