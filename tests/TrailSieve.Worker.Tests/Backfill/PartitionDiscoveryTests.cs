using TrailSieve.Core.Layout;
using TrailSieve.Worker.Backfill;
using static TrailSieve.Worker.Tests.Backfill.BackfillTrail;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class PartitionDiscoveryTests
{
    [Fact]
    public async Task DiscoverAsync_BucketRoot_WalksOrgAccountsRegionsAndDaysAndIgnoresWhatIsNotTheLayout()
    {
        // Given an organisation trail with a digest folder, a folder that is not a region, another tool's folder and month 13
        var bucket = Create(days: 3);
        bucket.Put(Org + "111122223333/CloudTrail-Digest/eu-west-1/2026/01/01/digest.json.gz", [1]);
        bucket.Put(Org + "111122223333/CloudTrail/not-a-region/2026/01/01/x.json.gz", [1]);
        bucket.Put("other-tool/111122223333/CloudTrail/eu-west-1/2026/01/01/x.json.gz", [1]);
        bucket.Put(Org + "111122223333/CloudTrail/eu-west-1/2026/13/01/x.json.gz", [1]);

        // When discovery starts at the bucket root
        var partitions = await DiscoverAsync(bucket, new BackfillSettings { Bucket = bucket.Name, Prefix = string.Empty });

        // Then it finds every day of every region of every account, and nothing else
        Assert.Equal(PartitionCount(3), partitions.Count);
        Assert.All(partitions, p => Assert.StartsWith(Org + p.Account + "/CloudTrail/" + p.Region + "/", p.Prefix, StringComparison.Ordinal));
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 3)], partitions.Select(p => p.Day).Distinct().Order());
        Assert.DoesNotContain(bucket.FolderListings, p => p.StartsWith("other-tool/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_AccountRegionAndClosedRange_PrunesAndListsNoDateFolder()
    {
        var bucket = Create(days: 5);
        var settings = new BackfillSettings
        {
            Bucket = bucket.Name,
            Accounts = new HashSet<string> { "444455556666" },
            Regions = new HashSet<string> { "us-east-1" },
            From = new DateOnly(2026, 1, 2),
            To = new DateOnly(2026, 1, 4),
        };

        var partitions = await DiscoverAsync(bucket, settings);

        Assert.Equal(["444455556666/us-east-1/2026-01-02", "444455556666/us-east-1/2026-01-03"], partitions.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(bucket.FolderListings, p => p.Contains("/CloudTrail/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_OpenRange_ListsYearsMonthsAndDaysWithinIt()
    {
        var bucket = Create(days: 40, start: new DateOnly(2025, 12, 20));

        var from = await DiscoverAsync(bucket, new BackfillSettings { Bucket = bucket.Name, From = new DateOnly(2026, 1, 25), Regions = new HashSet<string> { "eu-west-1" } });
        var to = await DiscoverAsync(bucket, new BackfillSettings { Bucket = bucket.Name, To = new DateOnly(2025, 12, 22), Accounts = new HashSet<string> { "111122223333" } });

        Assert.Equal(Accounts.Length * 4, from.Count);
        Assert.All(from, p => Assert.InRange(p.Day, new DateOnly(2026, 1, 25), new DateOnly(2026, 1, 28)));
        Assert.Equal(Regions.Length * 2, to.Count);
        Assert.All(to, p => Assert.True(p.Day < new DateOnly(2025, 12, 22)));
    }

    [Theory]
    [InlineData(Org, null, null, 4 * 40)]
    [InlineData(Org + "444455556666/", null, null, 2 * 40)]
    [InlineData(Org + "444455556666/CloudTrail/", null, null, 2 * 40)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/", null, null, 40)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/2026/", null, null, 28)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/2025/12/", null, null, 12)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/2026/01/05/", null, null, 1)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/2026/01/", "2026-01-10", null, 19)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/2026/01/", "2025-12-01", "2026-01-03", 2)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/2026/01/", "2026-02-01", null, 0)]
    [InlineData(Org + "444455556666/CloudTrail/eu-west-1/2026/02/01/", null, null, 0)]
    public async Task DiscoverAsync_PrefixAtAnyDepth_NarrowsTheWalkAndCombinesWithTheRange(string prefix, string? from, string? to, int expected)
    {
        // Given 40 days of trail from 2025-12-20 to 2026-01-28 (two accounts, two regions)
        var bucket = Create(days: 40, start: new DateOnly(2025, 12, 20));
        var settings = new BackfillSettings
        {
            Bucket = bucket.Name,
            Prefix = prefix,
            From = from is null ? null : DateOnly.ParseExact(from, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            To = to is null ? null : DateOnly.ParseExact(to, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };

        // When discovery starts at the prefix
        var partitions = await DiscoverAsync(bucket, settings);

        // Then it finds the days under the prefix and in the range, each under the prefix, none twice
        var existing = partitions.Where(p => bucket.Objects.Keys.Any(k => k.StartsWith(p.Prefix, StringComparison.Ordinal))).ToList();
        Assert.Equal(expected, existing.Count);
        Assert.All(partitions, p => Assert.StartsWith(prefix, p.Prefix, StringComparison.Ordinal));
        Assert.Equal(partitions.Count, partitions.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public async Task DiscoverAsync_MonthPrefixWithRegionsAndAccounts_FiltersApplyToo()
    {
        var bucket = Create(days: 5);

        var other = await DiscoverAsync(bucket, new BackfillSettings { Bucket = bucket.Name, Prefix = Org + "444455556666/CloudTrail/eu-west-1/2026/01/", Regions = new HashSet<string> { "us-east-1" } });
        var same = await DiscoverAsync(bucket, new BackfillSettings { Bucket = bucket.Name, Prefix = Org + "444455556666/CloudTrail/eu-west-1/2026/01/", Accounts = new HashSet<string> { "444455556666" } });

        Assert.Empty(other);
        Assert.Equal(31, same.Count);
    }

    [Fact]
    public async Task DiscoverAsync_OpenRange_ListsTheRegionsDatesInParallel()
    {
        // Given listings of the regions' year folders that answer only once two of them are in flight together
        var bucket = Create(days: 2);
        var inFlight = 0;
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bucket.BeforeFolderListing = async prefix =>
        {
            if (CloudTrailLayout.Locate(prefix).Level == LayoutLevel.Region)
            {
                if (Interlocked.Increment(ref inFlight) >= 2)
                {
                    both.TrySetResult();
                }

                await both.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        };

        // When discovery walks the trail with room for several listings
        var partitions = await DiscoverAsync(bucket, new BackfillSettings { Bucket = bucket.Name, ListParallelism = 4 });

        // Then it got there (a walk one region at a time would wait for the second listing forever) and found everything
        Assert.Equal(PartitionCount(2), partitions.Count);
    }

    [Fact]
    public async Task DiscoverAsync_Plan_DayMajorWithEveryRegionOfADayTogether()
    {
        var bucket = Create(days: 3, start: new DateOnly(2025, 12, 31));

        var plan = await new PartitionDiscovery(bucket, new BackfillSettings { Bucket = bucket.Name }).DiscoverAsync(CancellationToken.None);

        var days = plan.Days.ToList();
        Assert.Equal([new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2)], days.Select(d => d.Day));
        Assert.All(days, d => Assert.Equal(Accounts.Length * Regions.Length, d.Partitions.Count));
        Assert.All(days, d => Assert.All(d.Partitions, p => Assert.Equal(d.Day, p.Day)));
        Assert.Equal(PartitionCount(3), plan.PartitionCount);
        Assert.Equal(Accounts.Length * Regions.Length, plan.RegionCount);
    }
}
