using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TrailSieve.Core.Layout;
using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Backfill;
using TrailSieve.Worker.Detections;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Backfill;

/// <summary>An organisation trail in memory and one backfill run over it: what the backfill tests share.</summary>
internal static class BackfillTrail
{
    public const string Org = "AWSLogs/o-abc123defg/";

    public const int ObjectsPerPartition = 3;

    public static readonly string[] Accounts = ["111122223333", "444455556666"];

    public static readonly string[] Regions = ["eu-west-1", "us-east-1"];

    /// <summary>Two accounts, two regions, <paramref name="days"/> days, three files a day.</summary>
    public static InMemoryBucket Create(int days, DateOnly? start = null)
    {
        var bucket = new InMemoryBucket("trail");
        var first = start ?? new DateOnly(2026, 1, 1);
        var id = 0;
        foreach (var account in Accounts)
        {
            foreach (var region in Regions)
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

    /// <summary>Partitions of the whole trail over <paramref name="days"/> days.</summary>
    public static int PartitionCount(int days) => Accounts.Length * Regions.Length * days;

    public static async Task<List<TrailPartition>> DiscoverAsync(InMemoryBucket bucket, BackfillSettings settings) =>
        [.. (await new PartitionDiscovery(bucket, settings).DiscoverAsync(CancellationToken.None)).Partitions];

    /// <summary>The partition ids and object keys a saved checkpoint document records.</summary>
    public static (HashSet<string> Partitions, HashSet<string> Objects) Saved(MemoryCheckpointStore store)
    {
        Assert.NotNull(store.Document);
        using var document = System.Text.Json.JsonDocument.Parse(store.Document);
        return (
            [.. document.RootElement.GetProperty("partitions").EnumerateObject().Select(p => p.Name)],
            [.. document.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetString()!)]);
    }
}

/// <summary>One backfill run over the bucket into an in-memory sink, with a checkpoint store kept across runs.</summary>
internal sealed class BackfillRun(InMemoryBucket bucket, BackfillSettings settings, MemoryCheckpointStore? store = null, OutputOptions? output = null, PipelineOptions? pipeline = null)
{
    public MemoryCheckpointStore Store { get; } = store ?? new MemoryCheckpointStore();

    public InMemorySink Sink { get; } = new();

    public BackfillProgress Progress { get; } = new(TimeProvider.System);

    public PipelineCounters Counters { get; } = new();

    public StringWriter Error { get; } = new();

    private BackfillCheckpoint? State { get; set; }

    private PartitionTracker? Tracker { get; set; }

    public BackfillRunner Runner()
    {
        State ??= BackfillCheckpoint.LoadAsync(Store, "s3://trail/AWSLogs/", "s3://out/ mirror", TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
        Tracker ??= new PartitionTracker(State, Progress, Error);
        return new BackfillRunner(bucket, settings, State, Progress, Tracker, TimeProvider.System, TimeSpan.FromMilliseconds(50), Error);
    }

    /// <summary>Processes with <paramref name="rules"/> (default: keep all) and, when given, detections writing to their own sink.</summary>
    public async Task<BackfillResult> ProcessAsync(CompiledRuleSet? rules = null, DetectionsRuntime? detections = null, CancellationToken stop = default)
    {
        var runner = Runner();
        var options = pipeline ?? new PipelineOptions { FilterParallelism = 2 };
        var stages = PipelineStages.Create(
            options,
            output ?? new OutputOptions { Mode = OutputMode.Mirror },
            new StaticRuleSetProvider(rules ?? CompiledRuleSet.KeepAll),
            Sink,
            Counters,
            new FlushSignal(),
            TimeProvider.System,
            NullLogger.Instance,
            detections);
        var filter = new LocalPipeline(stages, options);
        using var target = new ProcessTarget(filter, bucket.Work, Tracker!, CancellationToken.None);
        return await runner.RunAsync(target, stop);
    }

    /// <summary>Enqueues through <paramref name="sender"/>; <paramref name="stop"/> is the first signal, <paramref name="abort"/> the second.</summary>
    public async Task<BackfillResult> EnqueueAsync(IMessageSender sender, CancellationToken stop = default, CancellationToken abort = default)
    {
        var runner = Runner();
        using var target = new EnqueueTarget(sender, Tracker!, TimeProvider.System, abort);
        return await runner.RunAsync(target, stop);
    }

    public Task<BackfillResult> DryRunAsync() => Runner().RunAsync(null, CancellationToken.None);

    /// <summary>Runs into a <see cref="RecordingTarget"/>, which <paramref name="arrange"/> may set up first.</summary>
    public async Task<RecordingTarget> RecordAsync(Action<RecordingTarget>? arrange = null)
    {
        var runner = Runner();
        var target = new RecordingTarget(Tracker!);
        arrange?.Invoke(target);
        await runner.RunAsync(target, CancellationToken.None);
        return target;
    }
}
