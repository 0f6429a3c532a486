using TrailSieve.Core.Notifications;
using TrailSieve.Worker.Backfill;
using static TrailSieve.Worker.Tests.Backfill.BackfillTrail;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class EnqueueTargetTests
{
    [Fact]
    public async Task RunAsync_Enqueue_SendsOneParseableS3EventPerObjectInBatchesOfTenAndRetriesPassingRefusals()
    {
        var bucket = Create(days: 2);
        var refusedOnce = new HashSet<string>(StringComparer.Ordinal);
        var sender = new FakeSender
        {
            Refuse = body =>
            {
                lock (refusedOnce)
                {
                    return body.Contains("_1.json.gz", StringComparison.Ordinal) && refusedOnce.Add(body)
                        ? new SendFailure(string.Empty, "InternalError", "try again", SenderFault: false)
                        : null;
                }
            },
        };
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });

        await run.EnqueueAsync(sender);

        var keys = sender.Accepted.Select(body => Assert.Single(NotificationParser.Parse(body).Objects)).ToList();
        Assert.Equal(bucket.Objects.Keys.Order(StringComparer.Ordinal), keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.All(keys, k => Assert.Equal(bucket.Objects[k.Key].Length, k.Size));
        Assert.All(sender.Calls, c => Assert.InRange(c.Count, 1, 10));
        Assert.True(sender.Calls.Count(c => c.Count == 10) >= (bucket.Objects.Count / 10) - 1);
        Assert.NotEmpty(refusedOnce);
        Assert.Equal(PartitionCount(2), Saved(run.Store).Partitions.Count);
    }

    [Fact]
    public async Task RunAsync_EnqueueRefusedAsTheSendersFault_FailsTheObjectAndKeepsItsPartitionOpen()
    {
        var bucket = Create(days: 1);
        var sender = new FakeSender
        {
            Refuse = body => body.Contains("/444455556666/CloudTrail/eu-west-1/", StringComparison.Ordinal) && body.Contains("_0.json.gz", StringComparison.Ordinal)
                ? new SendFailure(string.Empty, "InvalidMessageContents", "bad", SenderFault: true)
                : null,
        };
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });

        await run.EnqueueAsync(sender);

        Assert.Equal(1, run.Progress.ObjectsFailed);
        Assert.Contains("SQS refused the message: InvalidMessageContents: bad", run.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("444455556666/eu-west-1/2026-01-01", Saved(run.Store).Partitions);
        Assert.Equal(bucket.Objects.Count - 1, sender.Accepted.Count);
    }

    [Fact]
    public async Task RunAsync_Enqueue_SendsSeveralBatchesAtOnce()
    {
        // Given a queue whose calls answer only once two of them are in flight together
        var bucket = Create(days: 2);
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new FakeSender();
        sender.Hold = async ct =>
        {
            if (sender.InFlight >= 2)
            {
                both.TrySetResult();
            }

            await both.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        };
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });

        // When the trail is enqueued
        await run.EnqueueAsync(sender);

        // Then calls overlapped (one at a time would wait for the second forever), and every object went out once
        Assert.True(sender.MaxInFlight >= 2, $"at most {sender.MaxInFlight} call in flight");
        Assert.Equal(bucket.Objects.Count, sender.Accepted.Count);
        Assert.Equal(bucket.Objects.Count, sender.Accepted.Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_EnqueueRerunFromItsCheckpoint_SendsNothingAgain()
    {
        // Given an enqueue that finished and saved its checkpoint
        var bucket = Create(days: 2);
        var first = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });
        await first.EnqueueAsync(new FakeSender());

        // When the same enqueue runs again from that checkpoint
        var sender = new FakeSender();
        var second = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name }, first.Store);
        await second.EnqueueAsync(sender);

        // Then no message is sent twice: every partition is skipped without being listed for work
        Assert.Empty(sender.Calls);
        Assert.Equal(PartitionCount(2), second.Progress.PartitionsSkipped);
        Assert.Equal(0, second.Progress.ObjectsDone);
        Assert.False(second.Progress.FoundNothing);
    }

    [Fact]
    public async Task RunAsync_EnqueueRefusedEveryTime_FailsAfterTheAttemptsNamingTheReason()
    {
        var bucket = Create(days: 1);
        var sender = new FakeSender { Refuse = body => body.Contains("_2.json.gz", StringComparison.Ordinal) ? new SendFailure(string.Empty, "ServiceUnavailable", "busy", SenderFault: false) : null };
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });

        await run.EnqueueAsync(sender);

        Assert.Equal(PartitionCount(1), run.Progress.ObjectsFailed);
        Assert.Contains("SQS refused the message 4 times: ServiceUnavailable: busy", run.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(bucket.Objects.Count - PartitionCount(1), sender.Accepted.Count);
        Assert.Empty(Saved(run.Store).Partitions);
    }

    [Fact]
    public async Task RunAsync_EnqueueStoppedThenAborted_TheSendsInFlightAreCancelledAndNothingOfThemIsCheckpointed()
    {
        // Given a queue that never answers
        var bucket = Create(days: 2);
        var calling = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new FakeSender
        {
            Hold = async ct =>
            {
                calling.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });
        var running = run.EnqueueAsync(sender, stop.Token, abort.Token);

        // When a first signal stops the listing and a second one aborts (once calls are in flight)
        await calling.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await abort.CancelAsync();

        // Then the run ends (the calls do not hang it), and no object of theirs counts as done or is checkpointed
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, run.Progress.ObjectsDone);
        Assert.Equal(0, run.Progress.ObjectsFailed);
        Assert.Null(run.Store.Document);
    }
}
