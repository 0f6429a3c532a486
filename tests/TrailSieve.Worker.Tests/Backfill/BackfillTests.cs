using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Layout;
using TrailSieve.Core.Notifications;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Backfill;

public sealed class BackfillTests
{
    private const string Org = "AWSLogs/o-abc123defg/";
    private static readonly string[] s_accounts = ["111122223333", "444455556666"];
    private static readonly string[] s_regions = ["eu-west-1", "us-east-1"];

    [Fact]
    public async Task Discovery_walks_org_accounts_regions_and_days_and_ignores_what_is_not_the_layout()
    {
        var bucket = Trail(days: 3);
        bucket.Put(Org + "111122223333/CloudTrail-Digest/eu-west-1/2026/01/01/digest.json.gz", [1]);
        bucket.Put(Org + "111122223333/CloudTrail/not-a-region/2026/01/01/x.json.gz", [1]);
        bucket.Put("other-tool/111122223333/CloudTrail/eu-west-1/2026/01/01/x.json.gz", [1]);
        bucket.Put(Org + "111122223333/CloudTrail/eu-west-1/2026/13/01/x.json.gz", [1]);

        var partitions = await Discover(bucket, new BackfillSettings { Bucket = bucket.Name, Prefix = string.Empty });

        Assert.Equal(s_accounts.Length * s_regions.Length * 3, partitions.Count);
        Assert.All(partitions, p => Assert.StartsWith(Org + p.Account + "/CloudTrail/" + p.Region + "/", p.Prefix, StringComparison.Ordinal));
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 3)], partitions.Select(p => p.Day).Distinct().Order());
        Assert.DoesNotContain(bucket.FolderListings, p => p.StartsWith("other-tool/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovery_prunes_by_account_region_and_date_and_a_closed_range_needs_no_date_listing()
    {
        var bucket = Trail(days: 5);
        var settings = new BackfillSettings
        {
            Bucket = bucket.Name,
            Accounts = new HashSet<string> { "444455556666" },
            Regions = new HashSet<string> { "us-east-1" },
            From = new DateOnly(2026, 1, 2),
            To = new DateOnly(2026, 1, 4),
        };

        var partitions = await Discover(bucket, settings);

        Assert.Equal(["444455556666/us-east-1/2026-01-02", "444455556666/us-east-1/2026-01-03"], partitions.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(bucket.FolderListings, p => p.Contains("/CloudTrail/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovery_with_an_open_range_lists_years_months_and_days_within_it()
    {
        var bucket = Trail(days: 40, start: new DateOnly(2025, 12, 20));

        var from = await Discover(bucket, new BackfillSettings { Bucket = bucket.Name, From = new DateOnly(2026, 1, 25), Regions = new HashSet<string> { "eu-west-1" } });
        var to = await Discover(bucket, new BackfillSettings { Bucket = bucket.Name, To = new DateOnly(2025, 12, 22), Accounts = new HashSet<string> { "111122223333" } });

        Assert.Equal(s_accounts.Length * 4, from.Count);
        Assert.All(from, p => Assert.InRange(p.Day, new DateOnly(2026, 1, 25), new DateOnly(2026, 1, 28)));
        Assert.Equal(s_regions.Length * 2, to.Count);
        Assert.All(to, p => Assert.True(p.Day < new DateOnly(2025, 12, 22)));
    }

    [Fact]
    public async Task Discovery_starts_at_a_region_when_the_prefix_names_one()
    {
        var bucket = Trail(days: 2);

        var partitions = await Discover(bucket, new BackfillSettings { Bucket = bucket.Name, Prefix = Org + "444455556666/CloudTrail/eu-west-1/" });

        Assert.Equal(["444455556666/eu-west-1/2026-01-01", "444455556666/eu-west-1/2026-01-02"], partitions.Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Processing_writes_every_record_of_every_object_in_range_and_checkpoints_every_partition()
    {
        var bucket = Trail(days: 2);
        var run = new Run(bucket, new BackfillSettings { Bucket = bucket.Name });

        var result = await run.ProcessAsync();

        Assert.False(result.Interrupted);
        Assert.Equal(bucket.Objects.Count, run.Sink.Committed.Count);
        foreach (var (key, bytes) in bucket.Objects)
        {
            Assert.Equal(OutputDocuments.Records(Gzip.Decompress(bytes)), run.Sink.RecordsOf(key));
        }

        var checkpoint = Checkpoint(run.Store);
        Assert.Equal(s_accounts.Length * s_regions.Length * 2, checkpoint.Partitions.Count);
        Assert.Empty(checkpoint.Objects);
        Assert.Equal(bucket.Objects.Count, run.Progress.ObjectsDone);
        Assert.Equal(bucket.Objects.Values.Sum(b => (long)b.Length), run.Progress.BytesDone);
        Assert.Equal(string.Empty, run.Error.ToString());
    }

    [Fact]
    public async Task A_failed_object_keeps_its_partition_open_and_a_rerun_retries_only_it()
    {
        var bucket = Trail(days: 2);
        var broken = bucket.Objects.Keys.First(k => k.Contains("/444455556666/CloudTrail/us-east-1/2026/01/02/", StringComparison.Ordinal));
        var good = bucket.Objects[broken];
        bucket.Put(broken, Encoding.UTF8.GetBytes("{\"Records\":[{\"eventID\":"));
        var first = new Run(bucket, new BackfillSettings { Bucket = bucket.Name });

        await first.ProcessAsync();

        Assert.Contains($"s3://trail/{broken}: ", first.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, first.Progress.ObjectsFailed);
        var saved = Checkpoint(first.Store);
        Assert.DoesNotContain("444455556666/us-east-1/2026-01-02", saved.Partitions);
        Assert.Equal((s_accounts.Length * s_regions.Length * 2) - 1, saved.Partitions.Count);
        Assert.Equal(ObjectsPerPartition - 1, saved.Objects.Count);

        bucket.Put(broken, good);
        var second = new Run(bucket, new BackfillSettings { Bucket = bucket.Name }, first.Store);
        await second.ProcessAsync();

        Assert.Equal(2, bucket.Opens[broken]);
        Assert.All(bucket.Opens.Where(o => o.Key != broken), o => Assert.Equal(1, o.Value));
        Assert.Equal(1, second.Progress.ObjectsDone);
        Assert.Equal(ObjectsPerPartition - 1, second.Progress.ObjectsSkipped);
        Assert.Equal((s_accounts.Length * s_regions.Length * 2) - 1, second.Progress.PartitionsSkipped);
        Assert.Equal(s_accounts.Length * s_regions.Length * 2, Checkpoint(second.Store).Partitions.Count);
        Assert.Empty(Checkpoint(second.Store).Objects);
    }

    [Fact]
    public async Task An_interrupted_run_finishes_what_it_handed_on_and_the_rerun_does_the_rest_with_nothing_twice()
    {
        var bucket = Trail(days: 3);
        using var stop = new CancellationTokenSource();
        bucket.BeforeOpen = _ =>
        {
            if (bucket.Opens.Values.Sum() >= 7)
            {
                stop.Cancel();
            }
        };
        var first = new Run(bucket, new BackfillSettings { Bucket = bucket.Name, ListParallelism = 2 });

        var result = await first.ProcessAsync(stop.Token);

        Assert.True(result.Interrupted);
        Assert.InRange(first.Progress.ObjectsDone, 7, bucket.Objects.Count - 1);
        Assert.Equal(first.Progress.ObjectsDone, first.Sink.Committed.Count);

        bucket.BeforeOpen = null;
        var second = new Run(bucket, new BackfillSettings { Bucket = bucket.Name }, first.Store);
        var rerun = await second.ProcessAsync();

        Assert.False(rerun.Interrupted);
        Assert.Equal(bucket.Objects.Count, bucket.Opens.Count);
        Assert.All(bucket.Opens, o => Assert.Equal(1, o.Value));
        Assert.Equal(bucket.Objects.Count, first.Progress.ObjectsDone + second.Progress.ObjectsDone);
        Assert.Equal(first.Progress.ObjectsDone, second.Progress.ObjectsSkipped + (second.Progress.PartitionsSkipped * ObjectsPerPartition));
    }

    [Fact]
    public async Task Batch_mode_counts_objects_done_only_once_their_batch_is_committed()
    {
        var bucket = Trail(days: 1);
        var run = new Run(bucket, new BackfillSettings { Bucket = bucket.Name }, output: new OutputOptions { Mode = OutputMode.Batch });
        run.Sink.FailCommit = key => key.Contains("444455556666", StringComparison.Ordinal) && key.Contains("us-east-1", StringComparison.Ordinal);

        await run.ProcessAsync();

        var saved = Checkpoint(run.Store);
        Assert.Equal(["111122223333/eu-west-1/2026-01-01", "111122223333/us-east-1/2026-01-01", "444455556666/eu-west-1/2026-01-01"], saved.Partitions.Order(StringComparer.Ordinal));
        Assert.Empty(saved.Objects);
        Assert.Equal(ObjectsPerPartition, run.Progress.ObjectsFailed);
    }

    [Fact]
    public async Task Enqueue_sends_one_parseable_S3_event_per_object_in_batches_of_ten_and_retries_passing_refusals()
    {
        var bucket = Trail(days: 2);
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
        var run = new Run(bucket, new BackfillSettings { Bucket = bucket.Name });

        await run.EnqueueAsync(sender);

        var keys = sender.Accepted.Select(body => Assert.Single(NotificationParser.Parse(body).Objects)).ToList();
        Assert.Equal(bucket.Objects.Keys.Order(StringComparer.Ordinal), keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.All(keys, k => Assert.Equal(bucket.Objects[k.Key].Length, k.Size));
        Assert.All(sender.Calls, c => Assert.InRange(c.Count, 1, 10));
        Assert.True(sender.Calls.Count(c => c.Count == 10) >= (bucket.Objects.Count / 10) - 1);
        Assert.NotEmpty(refusedOnce);
        Assert.Equal(s_accounts.Length * s_regions.Length * 2, Checkpoint(run.Store).Partitions.Count);
    }

    [Fact]
    public async Task Enqueue_failures_the_sender_caused_fail_the_object_and_keep_its_partition_open()
    {
        var bucket = Trail(days: 1);
        var sender = new FakeSender
        {
            Refuse = body => body.Contains("/444455556666/CloudTrail/eu-west-1/", StringComparison.Ordinal) && body.Contains("_0.json.gz", StringComparison.Ordinal)
                ? new SendFailure(string.Empty, "InvalidMessageContents", "bad", SenderFault: true)
                : null,
        };
        var run = new Run(bucket, new BackfillSettings { Bucket = bucket.Name });

        await run.EnqueueAsync(sender);

        Assert.Equal(1, run.Progress.ObjectsFailed);
        Assert.Contains("SQS refused the message: InvalidMessageContents: bad", run.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("444455556666/eu-west-1/2026-01-01", Checkpoint(run.Store).Partitions);
        Assert.Equal(bucket.Objects.Count - 1, sender.Accepted.Count);
    }

    [Fact]
    public async Task A_dry_run_counts_what_is_left_and_saves_nothing()
    {
        var bucket = Trail(days: 2);
        var run = new Run(bucket, new BackfillSettings { Bucket = bucket.Name });

        await run.Runner().RunAsync(null, CancellationToken.None);

        Assert.Equal(bucket.Objects.Count, run.Progress.ObjectsListed);
        Assert.Equal(bucket.Objects.Values.Sum(b => (long)b.Length), run.Progress.BytesListed);
        Assert.Equal(s_accounts.Length * s_regions.Length * 2, run.Progress.Partitions);
        Assert.Null(run.Store.Document);
        Assert.Empty(bucket.Opens);
    }

    [Fact]
    public async Task A_checkpoint_of_another_backfill_or_not_a_checkpoint_is_refused_with_its_location()
    {
        var store = new MemoryCheckpointStore();
        using (var checkpoint = await BackfillCheckpoint.LoadAsync(store, "s3://a/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None))
        {
            checkpoint.MarkPartition("111122223333/eu-west-1/2026-01-01", 3, 300, []);
            await checkpoint.SaveAsync(CancellationToken.None);
        }

        var other = await Assert.ThrowsAsync<BackfillException>(() => BackfillCheckpoint.LoadAsync(store, "s3://b/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None));
        Assert.Contains("mem://checkpoint.json belongs to another backfill", other.Message, StringComparison.Ordinal);

        store.Document = Encoding.UTF8.GetBytes("{\"partitions\":[]}");
        var garbage = await Assert.ThrowsAsync<BackfillException>(() => BackfillCheckpoint.LoadAsync(store, "s3://a/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None));
        Assert.Contains("mem://checkpoint.json is not a TrailSieve backfill checkpoint", garbage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_store_replaces_the_document_whole()
    {
        var path = Path.Combine(Path.GetTempPath(), "trailsieve-checkpoint-" + Guid.NewGuid().ToString("N"), "state.json");
        var store = new FileCheckpointStore(path);

        Assert.Null(await store.LoadAsync(CancellationToken.None));
        await store.SaveAsync(Encoding.UTF8.GetBytes("first, longer document"), CancellationToken.None);
        await store.SaveAsync(Encoding.UTF8.GetBytes("second"), CancellationToken.None);

        Assert.Equal("second", Encoding.UTF8.GetString((await store.LoadAsync(CancellationToken.None))!));
        Assert.False(File.Exists(path + ".tmp"));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Progress_shows_growing_totals_while_listing_and_an_ETA_after()
    {
        var progress = new BackfillProgress();
        progress.PartitionFound();
        progress.Listed(2_000_000);
        progress.Listed(2_000_000);
        progress.Done(2_000_000);

        var listing = progress.Render(withBar: true);
        progress.CompleteListing();
        var listed = progress.Render(withBar: false);

        Assert.StartsWith("[############------------] 1/2+ objects  2.0 MB/4.0 MB+", listing, StringComparison.Ordinal);
        Assert.Contains("listing…", listing, StringComparison.Ordinal);
        Assert.StartsWith("1/2 objects  2.0 MB/4.0 MB  ", listed, StringComparison.Ordinal);
        Assert.Contains("ETA ", listed, StringComparison.Ordinal);
        Assert.Equal("1d 2h 03m", BackfillProgress.FormatDuration(new TimeSpan(1, 2, 3, 4)));
        Assert.Equal("1.50 GB", BackfillProgress.FormatBytes(1_500_000_000));
    }

    private const int ObjectsPerPartition = 3;

    /// <summary>An organisation trail: two accounts, two regions, <paramref name="days"/> days, three files a day.</summary>
    private static InMemoryBucket Trail(int days, DateOnly? start = null)
    {
        var bucket = new InMemoryBucket("trail");
        var first = start ?? new DateOnly(2026, 1, 1);
        var id = 0;
        foreach (var account in s_accounts)
        {
            foreach (var region in s_regions)
            {
                foreach (var day in CloudTrailLayout.Days(first, first.AddDays(days)))
                {
                    for (var n = 0; n < ObjectsPerPartition; n++)
                    {
                        var time = day.ToDateTime(new TimeOnly(n, 5), DateTimeKind.Utc);
                        var records = Enumerable.Range(0, 4).Select(_ => OutputDocuments.Record(
                            "DescribeInstances", account: account, region: region, time: time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), id: id++));
                        var key = CloudTrailLayout.DayPrefix(CloudTrailLayout.RegionPrefix(Org + account + "/", region), day)
                            + string.Create(CultureInfo.InvariantCulture, $"{account}_CloudTrail_{region}_{time:yyyyMMdd'T'HHmm'Z'}_{n}.json.gz");
                        bucket.Put(key, Gzip.Compress(OutputDocuments.Document(records)));
                    }
                }
            }
        }

        return bucket;
    }

    private static async Task<List<TrailPartition>> Discover(InMemoryBucket bucket, BackfillSettings settings)
    {
        var partitions = new List<TrailPartition>();
        await foreach (var partition in new PartitionDiscovery(bucket, settings).DiscoverAsync(CancellationToken.None))
        {
            partitions.Add(partition);
        }

        return partitions;
    }

    private static (HashSet<string> Partitions, HashSet<string> Objects) Checkpoint(MemoryCheckpointStore store)
    {
        Assert.NotNull(store.Document);
        using var document = System.Text.Json.JsonDocument.Parse(store.Document);
        return (
            [.. document.RootElement.GetProperty("partitions").EnumerateObject().Select(p => p.Name)],
            [.. document.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetString()!)]);
    }

    /// <summary>One backfill run over the bucket into an in-memory sink, with a checkpoint store kept across runs.</summary>
    private sealed class Run(InMemoryBucket bucket, BackfillSettings settings, MemoryCheckpointStore? store = null, OutputOptions? output = null)
    {
        public MemoryCheckpointStore Store { get; } = store ?? new MemoryCheckpointStore();

        public InMemorySink Sink { get; } = new();

        public BackfillProgress Progress { get; } = new();

        public StringWriter Error { get; } = new();

        private BackfillCheckpoint? State { get; set; }

        private PartitionTracker? Tracker { get; set; }

        public BackfillRunner Runner()
        {
            State ??= BackfillCheckpoint.LoadAsync(Store, "s3://trail/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
            Tracker ??= new PartitionTracker(State, Progress, Error);
            return new BackfillRunner(bucket, settings, State, Progress, Tracker, TimeProvider.System, TimeSpan.FromMilliseconds(50), Error);
        }

        public async Task<BackfillResult> ProcessAsync(CancellationToken stop = default)
        {
            var runner = Runner();
            var pipeline = new FilterPipeline(
                new PipelineOptions { FilterParallelism = 2 },
                output ?? new OutputOptions { Mode = OutputMode.Mirror },
                new StaticRuleSetProvider(CompiledRuleSet.KeepAll),
                Sink,
                new PipelineCounters(),
                observer: null,
                TimeProvider.System,
                NullLoggerFactory.Instance);
            using var target = new ProcessTarget(pipeline, bucket.Work, Tracker!, CancellationToken.None);
            return await runner.RunAsync(target, stop);
        }

        public async Task EnqueueAsync(IMessageSender sender)
        {
            var runner = Runner();
            using var target = new EnqueueTarget(sender, Tracker!, TimeProvider.System);
            await runner.RunAsync(target, CancellationToken.None);
        }
    }
}
