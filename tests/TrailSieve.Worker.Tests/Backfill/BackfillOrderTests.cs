using System.Globalization;
using System.Text;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Layout;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Tests.TestSupport;
using static TrailSieve.Worker.Tests.Backfill.BackfillTrail;

namespace TrailSieve.Worker.Tests.Backfill;

/// <summary>The order objects reach the target in (day-major, then delivery time across partitions), and why it matters.</summary>
public sealed class BackfillOrderTests
{
    [Fact]
    public async Task RunAsync_Work_DayByDayAndWithinADayInDeliveryTimeAcrossPartitions()
    {
        // Given three days of four partitions, three files a day each (00:05, 01:05, 02:05)
        var bucket = Create(days: 3);
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name, ListParallelism = 1 });

        // When the work walk hands them on
        var received = (await run.RecordAsync()).Received;

        // Then every object came once, days in order, and within a day by delivery time: each hour of every partition
        // before the next hour of any, not one partition's whole day after another's
        Assert.Equal(bucket.Objects.Keys.Order(StringComparer.Ordinal), received.Select(r => r.Object.Key).Order(StringComparer.Ordinal));
        var times = received.Select(r => Assert.IsType<DateTimeOffset>(LogFileName.TryParseTime(r.Object.Key, out var t) ? t : (object?)null)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(Enumerable.Repeat(new TimeOnly(0, 5), Accounts.Length * Regions.Length), times.Take(Accounts.Length * Regions.Length).Select(t => TimeOnly.FromDateTime(t.UtcDateTime)));
        Assert.Equal(PartitionCount(3), Saved(run.Store).Partitions.Count);
    }

    [Fact]
    public async Task RunAsync_CountingWalk_TotalsAreKnownWhileTheWorkIsHeld()
    {
        // Given a target that takes nothing until the totals are final (and fails after ten seconds without them)
        var bucket = Create(days: 3);
        var run = new BackfillRun(bucket, new BackfillSettings { Bucket = bucket.Name });
        var listedAtFirstSubmit = -1L;

        // When the backfill runs
        await run.RecordAsync(target => target.BeforeSubmit = async _ =>
        {
            await run.Progress.ListingCompleted.WaitAsync(TimeSpan.FromSeconds(10));
            Interlocked.CompareExchange(ref listedAtFirstSubmit, run.Progress.ObjectsListed, -1);
        });

        // Then the counting walk finished while the work waited: the total was there before the first object went on
        Assert.Equal(bucket.Objects.Count, listedAtFirstSubmit);
        Assert.Equal(bucket.Objects.Count, run.Progress.ObjectsDone);
    }

    [Fact]
    public async Task RunAsync_ThresholdBurstSpreadOverAccountsAndRegions_Fires()
    {
        // Given three hours of four partitions, a file every five minutes as CloudTrail delivers them, each with a
        // failed login from an address of its own (never five in five minutes), and at 01:30 a burst of eight failed
        // logins from one address, two in each partition
        var bucket = new InMemoryBucket("trail");
        var id = 0;
        foreach (var account in Accounts)
        {
            foreach (var region in Regions)
            {
                var prefix = CloudTrailLayout.DayPrefix(CloudTrailLayout.RegionPrefix(Org + account + "/", region), new DateOnly(2026, 1, 1));
                for (var slot = 0; slot < 36; slot++)
                {
                    var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(slot * 5);
                    var records = new List<string> { Login("198.51.100." + slot, at, id++) };
                    if (slot == 18)
                    {
                        records.Add(Login("203.0.113.66", at.AddSeconds(id % 60), id++));
                        records.Add(Login("203.0.113.66", at.AddSeconds(60 + (id % 60)), id++));
                    }

                    bucket.Put(
                        prefix + string.Create(CultureInfo.InvariantCulture, $"{account}_CloudTrail_{region}_{at.AddMinutes(5):yyyyMMdd'T'HHmm'Z'}_{slot}.json.gz"),
                        Gzip.Compress(OutputDocuments.Document(records)));
                }
            }
        }

        var detections = DetectionSetLoader.Load("""
            detections:
              - name: login burst
                severity: high
                description: five failed logins from one address within five minutes
                matches:
                  - field_name: eventName
                    equals: ConsoleLogin
                threshold:
                  count: 5
                  window: 5m
                  group_by: [sourceIPAddress]
            """, "burst.yaml");
        var alerts = new InMemorySink();
        var runtime = new DetectionsRuntime(new DetectionEngine(new ThresholdTracker(TimeSpan.FromMinutes(15), 1000)), alerts, FindingsLayout.Flat, TimeSpan.FromMinutes(5), 1 << 20);

        // When it is backfilled one listing at a time into a pipeline that reads and filters one object at a time
        // (so nothing but the order of the work lines the burst up, and the pipeline's own reordering adds nothing)
        var run = new BackfillRun(
            bucket, new BackfillSettings { Bucket = bucket.Name, ListParallelism = 1 }, pipeline: new PipelineOptions { ReadParallelism = 1, FilterParallelism = 1 });
        await run.ProcessAsync(rules: CompiledRuleSet.KeepAll.WithDetections(detections), detections: runtime);

        // Then the burst fired, no hit was late, and none of the other addresses fired
        var findings = alerts.Committed.Values.SelectMany(b => Encoding.UTF8.GetString(Gzip.Decompress(b)).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Contains("203.0.113.66", f, StringComparison.Ordinal));
        Assert.Equal(0, run.Counters.LateHits);
    }

    private static string Login(string address, DateTime time, int id) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"eventVersion":"1.08","eventTime":"{{time:yyyy-MM-ddTHH:mm:ssZ}}","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"eu-west-1","sourceIPAddress":"{{address}}","eventID":"login-{{id}}","recipientAccountId":"111122223333"}""");
}
