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
}
