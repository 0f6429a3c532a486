using System.Text;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.S3;
using static TrailSieve.Worker.Tests.Backfill.BackfillTrail;

namespace TrailSieve.Worker.Tests.Backfill;

/// <summary>The key filter (Sqs:IncludeKeys/ExcludeKeys) on backfill's walks: what it skips is counted and never opened.</summary>
public sealed class BackfillKeyFilterTests
{
    private const string Excluded = Org + "444455556666/CloudTrail/us-east-1/";

    [Fact]
    public async Task RunAsync_ExcludedPrefixWithACorruptObject_NeverOpensItsObjectsCountsThemAndCheckpointsEveryPartition()
    {
        // Given a trail whose excluded region holds a corrupt object, which would fail if it were read
        var bucket = Create(days: 2);
        var excluded = bucket.Objects.Where(o => o.Key.StartsWith(Excluded, StringComparison.Ordinal)).ToList();
        bucket.Put(excluded[0].Key, Encoding.UTF8.GetBytes("{\"Records\":[{\"eventID\":"));
        excluded = [.. bucket.Objects.Where(o => o.Key.StartsWith(Excluded, StringComparison.Ordinal))];
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name, Keys = Guard(exclude: [Excluded]) });

        // When it is processed
        var result = await run.ProcessAsync();

        // Then no object of the region is opened, they are counted as skipped by key, and the rest is done
        Assert.False(result.Interrupted);
        Assert.Equal(ObjectsPerPartition * 2, excluded.Count);
        Assert.DoesNotContain(bucket.Opens.Keys, k => k.StartsWith(Excluded, StringComparison.Ordinal));
        Assert.Equal((long)excluded.Count, run.Progress.ObjectsExcluded);
        Assert.Equal(excluded.Sum(o => (long)o.Value.Length), run.Progress.BytesExcluded);
        Assert.Equal(bucket.Objects.Count - excluded.Count, run.Progress.ObjectsDone);
        Assert.Equal(bucket.Objects.Count - excluded.Count, run.Progress.ObjectsListed);
        Assert.Equal(0, run.Progress.ObjectsFailed);
        Assert.Equal(bucket.Objects.Count - excluded.Count, run.Sink.Committed.Count);
        Assert.Equal(string.Empty, run.Error.ToString());
        Assert.Equal(PartitionCount(2), Saved(run.Store).Partitions.Count);
        Assert.Contains($"skipped by key {excluded.Count}", run.Progress.Render(withBar: false), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_IncludeRegexAndAnExcludedAccount_HandsOnOnlyWhatIsIncludedAndNotExcluded()
    {
        // Given an include regex for eu-west-1 and an exclusion of one account, which wins over the inclusion
        var bucket = Create(days: 2);
        var keys = Guard(include: ["re:_CloudTrail_eu-west-1_"], exclude: [Org + "111122223333/"]);
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name, Keys = keys });

        // When both walks run
        var target = await run.RecordAsync();

        // Then only 444455556666's eu-west-1 objects go to the target, and everything else is counted as skipped
        var expected = bucket.Objects.Keys.Where(k => k.StartsWith(Org + "444455556666/CloudTrail/eu-west-1/", StringComparison.Ordinal)).ToList();
        Assert.Equal(ObjectsPerPartition * 2, expected.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), target.Received.Select(i => i.Object.Key).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count, run.Progress.ObjectsListed);
        Assert.Equal(bucket.Objects.Count - expected.Count, run.Progress.ObjectsExcluded);
        Assert.Empty(bucket.Opens);
    }

    [Fact]
    public async Task RunAsync_FilterSkipsEverything_FoundNothingAndTheFilterIsInTheDescription()
    {
        // Given a filter that matches no key of the trail
        var bucket = Create(days: 1);
        var settings = new BackfillSettings { Bucket = bucket.Name, Keys = Guard(include: ["AWSLogs/o-other/"]) };
        var run = new BackfillRun(bucket, settings);

        // When it is dry-run
        await run.DryRunAsync();

        // Then nothing matched, every object listed was skipped by the filter, and the filters' words name it
        Assert.True(run.Progress.FoundNothing);
        Assert.Equal(bucket.Objects.Count, run.Progress.ObjectsExcluded);
        Assert.EndsWith("; keys include [AWSLogs/o-other/]", settings.DescribeFilters(), StringComparison.Ordinal);
    }

    private static SourceGuard Guard(string[]? include = null, string[]? exclude = null)
    {
        var options = new SqsOptions();
        foreach (var entry in include ?? [])
        {
            options.IncludeKeys.Add(entry);
        }

        foreach (var entry in exclude ?? [])
        {
            options.ExcludeKeys.Add(entry);
        }

        return SourceGuard.From(options);
    }
}
