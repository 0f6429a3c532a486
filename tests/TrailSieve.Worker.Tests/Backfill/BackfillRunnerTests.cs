using System.Text;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Tests.TestSupport;
using static TrailSieve.Worker.Tests.Backfill.BackfillTrail;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class BackfillRunnerTests
{
    [Fact]
    public async Task RunAsync_Mirror_WritesEveryRecordOfEveryObjectAndCheckpointsEveryPartition()
    {
        var bucket = Create(days: 2);
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });

        var result = await run.ProcessAsync();

        Assert.False(result.Interrupted);
        Assert.Equal(bucket.Objects.Count, run.Sink.Committed.Count);
        foreach (var (key, bytes) in bucket.Objects)
        {
            Assert.Equal(OutputDocuments.Records(Gzip.Decompress(bytes)), run.Sink.RecordsOf(key));
        }

        var checkpoint = Saved(run.Store);
        Assert.Equal(PartitionCount(2), checkpoint.Partitions.Count);
        Assert.Empty(checkpoint.Objects);
        Assert.Equal(bucket.Objects.Count, run.Progress.ObjectsDone);
        Assert.Equal(bucket.Objects.Values.Sum(b => (long)b.Length), run.Progress.BytesDone);
        Assert.Equal(string.Empty, run.Error.ToString());
    }

    [Fact]
    public async Task RunAsync_AnObjectFails_ItsPartitionStaysOpenAndARerunRetriesOnlyIt()
    {
        // Given one corrupt object
        var bucket = Create(days: 2);
        var broken = bucket.Objects.Keys.First(k => k.Contains("/444455556666/CloudTrail/us-east-1/2026/01/02/", StringComparison.Ordinal));
        var good = bucket.Objects[broken];
        bucket.Put(broken, Encoding.UTF8.GetBytes("{\"Records\":[{\"eventID\":"));
        var first = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });

        // When a run processes the trail
        await first.ProcessAsync();

        // Then it names the object, and every partition but that one is checkpointed, with that one's good objects
        Assert.Contains($"s3://trail/{broken}: ", first.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, first.Progress.ObjectsFailed);
        var saved = Saved(first.Store);
        Assert.DoesNotContain("444455556666/us-east-1/2026-01-02", saved.Partitions);
        Assert.Equal(PartitionCount(2) - 1, saved.Partitions.Count);
        Assert.Equal(ObjectsPerPartition - 1, saved.Objects.Count);

        // When the object is repaired and the run repeated
        bucket.Put(broken, good);
        var second = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name }, first.Store);
        await second.ProcessAsync();

        // Then only it is read again, and everything is checkpointed
        Assert.Equal(2, bucket.Opens[broken]);
        Assert.All(bucket.Opens.Where(o => o.Key != broken), o => Assert.Equal(1, o.Value));
        Assert.Equal(1, second.Progress.ObjectsDone);
        Assert.Equal(ObjectsPerPartition - 1, second.Progress.ObjectsSkipped);
        Assert.Equal(PartitionCount(2) - 1, second.Progress.PartitionsSkipped);
        Assert.Equal(PartitionCount(2), Saved(second.Store).Partitions.Count);
        Assert.Empty(Saved(second.Store).Objects);
    }

    [Fact]
    public async Task RunAsync_Interrupted_FinishesWhatItHandedOnAndTheRerunDoesTheRestWithNothingTwice()
    {
        var bucket = Create(days: 3);
        using var stop = new CancellationTokenSource();
        bucket.BeforeOpen = _ =>
        {
            if (bucket.Opens.Values.Sum() >= 7)
            {
                stop.Cancel();
            }
        };
        var first = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name, ListParallelism = 2 });

        var result = await first.ProcessAsync(stop: stop.Token);

        Assert.True(result.Interrupted);
        Assert.InRange(first.Progress.ObjectsDone, 7, bucket.Objects.Count - 1);
        Assert.Equal(first.Progress.ObjectsDone, first.Sink.Committed.Count);

        bucket.BeforeOpen = null;
        var second = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name }, first.Store);
        var rerun = await second.ProcessAsync();

        Assert.False(rerun.Interrupted);
        Assert.Equal(bucket.Objects.Count, bucket.Opens.Count);
        Assert.All(bucket.Opens, o => Assert.Equal(1, o.Value));
        Assert.Equal(bucket.Objects.Count, first.Progress.ObjectsDone + second.Progress.ObjectsDone);
        Assert.Equal(first.Progress.ObjectsDone, second.Progress.ObjectsSkipped + (second.Progress.PartitionsSkipped * ObjectsPerPartition));
    }

    [Fact]
    public async Task RunAsync_Batch_CountsObjectsDoneOnlyOnceTheirBatchIsCommitted()
    {
        var bucket = Create(days: 1);
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name }, output: new OutputOptions { Mode = OutputMode.Batch });
        run.Sink.FailCommit = key => key.Contains("444455556666", StringComparison.Ordinal) && key.Contains("us-east-1", StringComparison.Ordinal);

        await run.ProcessAsync();

        var saved = Saved(run.Store);
        Assert.Equal(["111122223333/eu-west-1/2026-01-01", "111122223333/us-east-1/2026-01-01", "444455556666/eu-west-1/2026-01-01"], saved.Partitions.Order(StringComparer.Ordinal));
        Assert.Empty(saved.Objects);
        Assert.Equal(ObjectsPerPartition, run.Progress.ObjectsFailed);
    }

    [Fact]
    public async Task RunAsync_DryRun_CountsWhatIsLeftAndSavesNothing()
    {
        var bucket = Create(days: 2);
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });

        await run.DryRunAsync();

        Assert.Equal(bucket.Objects.Count, run.Progress.ObjectsListed);
        Assert.Equal(bucket.Objects.Values.Sum(b => (long)b.Length), run.Progress.BytesListed);
        Assert.Equal(PartitionCount(2), run.Progress.Partitions);
        Assert.Null(run.Store.Document);
        Assert.Empty(bucket.Opens);
        Assert.False(run.Progress.FoundNothing);
    }

    [Fact]
    public async Task RunAsync_PrefixMatchesNothing_FoundNothing()
    {
        // Given a prefix with a typo in the account
        var bucket = Create(days: 2);
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name, Prefix = Org + "111122223334/CloudTrail/eu-west-1/2026/01/" });

        // When it is dry-run
        await run.DryRunAsync();

        // Then the whole listing ran and matched nothing
        Assert.True(run.Progress.FoundNothing);
        Assert.Equal(0, run.Progress.ObjectsListed);
    }

    [Fact]
    public async Task RunAsync_EverythingAlreadyDone_IsNotFoundNothing()
    {
        // Given a run that finished everything
        var bucket = Create(days: 1);
        var first = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });
        await first.ProcessAsync();

        // When the same backfill runs again
        var second = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name }, first.Store);
        await second.ProcessAsync();

        // Then it did nothing, and that is because the checkpoint has it all, not because nothing matched
        Assert.Equal(0, second.Progress.ObjectsDone);
        Assert.Equal(PartitionCount(1), second.Progress.PartitionsSkipped);
        Assert.False(second.Progress.FoundNothing);
    }
}
