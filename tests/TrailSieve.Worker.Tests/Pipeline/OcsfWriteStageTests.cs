using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrailSieve.Core.Batching;
using TrailSieve.Core.Ocsf;
using TrailSieve.Worker.Diagnostics;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Output;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

/// <summary>
/// The write stage with <c>Output:Format</c> ocsf: the same batch writer, delivery ledger and batch window as the
/// gzip output, so an object is done (its message deletable) only once the Parquet objects holding it are durable.
/// </summary>
public sealed class OcsfWriteStageTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly PartitionKey Partition = new("111122223333", "us-east-1", new DateOnly(2026, 1, 2));

    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-ocsf-write-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly InMemorySink _sink = new();
    private readonly ConditionalLedgerStore _store;
    private readonly PipelineCounters _counters = new();
    private readonly CloudTrailOcsfMapper _mapper = new();

    public OcsfWriteStageTests() => _store = new ConditionalLedgerStore(_time, k => _sink.Committed.ContainsKey(k));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_ObjectOfTwoClasses_OneParquetObjectPerClassAndTheLedgerNamesBoth()
    {
        // Given an object holding an API call and a sign-in
        var records = new[] { OutputDocuments.Record("RunInstances", id: 1), OutputDocuments.Record("ConsoleLogin", "signin.amazonaws.com", id: 2) };

        // When written
        var outcome = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), records);

        // Then it succeeded once both Parquet objects were committed, one per class, each with its record
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        Assert.Equal(2, _sink.Committed.Count);
        var api = Assert.Single(_sink.Committed.Keys, k => k.StartsWith("ext/trailsieve-6003/region=us-east-1/accountId=111122223333/eventDay=20260102/", StringComparison.Ordinal));
        var signin = Assert.Single(_sink.Committed.Keys, k => k.StartsWith("ext/trailsieve-3002/region=us-east-1/accountId=111122223333/eventDay=20260102/", StringComparison.Ordinal));
        Assert.Equal("RunInstances", ParquetFiles.Scalar(Save(api), "select string_agg(api.operation, ',') from read_parquet({f})"));
        Assert.Equal("ConsoleLogin", ParquetFiles.Scalar(Save(signin), "select string_agg(api.operation, ',') from read_parquet({f})"));

        // and its ledger marker names each class's batch
        var marker = _store.Marker(Assert.Single(_store.Markers.Keys, k => !k.EndsWith("_probe", StringComparison.Ordinal)));
        Assert.Equal(api, marker.Batches["111122223333/us-east-1/2026-01-02/6003"]);
        Assert.Equal(signin, marker.Batches["111122223333/us-east-1/2026-01-02/3002"]);
    }

    [Fact]
    public async Task RunAsync_SameObjectDeliveredTwice_WrittenOnceAndTheSecondSkipped()
    {
        // Given an object written once
        var records = new[] { OutputDocuments.Record("CreateUser", "iam.amazonaws.com", id: 1) };
        Assert.Equal(ObjectStatus.Succeeded, (await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), records)).Status);

        // When it is delivered again
        var second = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), records);

        // Then the delivery ledger skips it: no second Parquet object
        Assert.Equal(ObjectStatus.Skipped, second.Status);
        Assert.Equal(1, _sink.Created);
        Assert.StartsWith("ext/trailsieve-3001/", Assert.Single(_sink.Committed.Keys), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ParquetCommitFails_TheObjectFailsAndIsNotReportedDone()
    {
        // Given a sink that fails the Authentication object's commit
        _sink.FailCommit = key => key.Contains("trailsieve-3002", StringComparison.Ordinal);

        // When an object with records of two classes is written
        var outcome = await WriteAllAsync(PipelineHarness.TrackedS3Object("a.json.gz"), OutputDocuments.Record("RunInstances", id: 1), OutputDocuments.Record("ConsoleLogin", "signin.amazonaws.com", id: 2));

        // Then it fails (its message comes back), naming the output that failed
        Assert.Equal(ObjectStatus.Failed, outcome.Status);
        Assert.Contains("ext/trailsieve-3002/", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RecordInTwoObjectsOfOneBatch_WrittenOnceAndCountedDeduplicated()
    {
        // Given two objects sharing a record (CloudTrail delivered it twice), written into one open batch
        var shared = OutputDocuments.Record("RunInstances", id: 1);
        var (stage, input, outcomes) = Start();
        var run = stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None);
        await WriteObjectAsync(input.Writer, PipelineHarness.TrackedS3Object("a.json.gz"), shared);
        await WriteObjectAsync(input.Writer, PipelineHarness.TrackedS3Object("b.json.gz"), shared, OutputDocuments.Record("StopInstances", id: 2));
        input.Writer.Complete();
        await run.WaitAsync(Timeout);

        // Then the batch's Parquet object holds each record once, and the second object says one was a duplicate
        var results = await outcomes.Reader.ReadAllAsync().ToListAsync();
        Assert.All(results, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
        Assert.Equal(1, results.Single(o => o.Source.Key == "b.json.gz").Deduplicated);
        var file = Save(Assert.Single(_sink.Committed.Keys));
        Assert.Equal("RunInstances,StopInstances", ParquetFiles.Scalar(file, "select string_agg(api.operation, ',' order by api.operation) from read_parquet({f})"));
    }

    private string Save(string key)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".parquet");
        File.WriteAllBytes(path, _sink.Committed[key]);
        return path;
    }

    private (WriteStage Stage, Channel<FilteredChunk> Input, Channel<ObjectOutcome> Outcomes) Start()
    {
        var ledger = new DeliveryLedger(_store, "", TimeSpan.FromMinutes(10), _counters, _time, NullLogger.Instance);
        var options = new OutputOptions { Mode = OutputMode.Batch, Format = OutputFormat.Ocsf };
        var stage = new WriteStage(_sink, options, _counters, new FlushSignal(), _time, NullLogger.Instance, detections: null, ledger: ledger);
        return (stage, Channel.CreateUnbounded<FilteredChunk>(), Channel.CreateUnbounded<ObjectOutcome>());
    }

    private async Task<ObjectOutcome> WriteAllAsync(TrackedObject obj, params string[] records)
    {
        var (stage, input, outcomes) = Start();
        await WriteObjectAsync(input.Writer, obj, records);
        input.Writer.Complete();
        await stage.RunAsync(input.Reader, outcomes.Writer, CancellationToken.None).WaitAsync(Timeout);
        return Assert.Single(await outcomes.Reader.ReadAllAsync().ToListAsync());
    }

    /// <summary>The object's records as the filter stage builds them: mapped, one OCSF piece per class, with identities.</summary>
    private async Task WriteObjectAsync(ChannelWriter<FilteredChunk> input, TrackedObject obj, params string[] records)
    {
        var builders = new Dictionary<int, OcsfPieceBuilder>();
        foreach (var record in records)
        {
            var bytes = Encoding.UTF8.GetBytes(record);
            var ocsf = _mapper.Map(bytes);
            if (!builders.TryGetValue(ocsf.ClassUid, out var builder))
            {
                builders[ocsf.ClassUid] = builder = new OcsfPieceBuilder(Partition with { EventClass = ocsf.ClassUid }, identities: true);
            }

            builder.Append(ocsf, bytes, Encoding.UTF8.GetBytes(ocsf.Metadata.Uid!));
        }

        var pieces = builders.Values.Select(b => b.Build()).ToList();
        foreach (var builder in builders.Values)
        {
            builder.Dispose();
        }

        await input.WriteAsync(new FilteredChunk(obj, 0) { Records = records.Length, Kept = records.Length, Pieces = pieces });
        await input.WriteAsync(new FilteredChunk(obj, 1) { End = new ReadEnd(10, 20, IsDigest: false, SkipReason: null, Error: null, Version: "\"e1\"") });
    }
}
