using TrailSieve.Core.Rules;
using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;

namespace TrailSieve.Worker.Tests.Pipeline;

public class FilterPipelineMirrorTests
{
    private const string DropEc2Reads = """
        rules:
          - name: drop ec2 describes
            matches:
              - field_name: eventSource
                regex: "^ec2\\.amazonaws\\.com$"
              - field_name: eventName
                prefix: Describe
        """;

    [Fact]
    public async Task RunAsync_ManyChunksAndWorkers_KeptRecordsInInputOrder()
    {
        // Given 3,000 records over many 4 KiB chunks, filtered by 4 workers that finish out of order
        var records = Enumerable.Range(0, 3000).Select(i => OutputDocuments.Record(i % 3 == 0 ? "DescribeInstances" : "RunInstances", id: i)).ToList();
        var harness = new PipelineHarness { Rules = RuleSetLoader.Load(DropEc2Reads, "test") };

        // When
        await harness.RunAsync(PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document(records)));

        // Then the kept records come out in their input order, byte for byte
        Assert.Equal(records.Where((_, i) => i % 3 != 0), harness.Sink.RecordsOf("a.json.gz"));
        var outcome = harness.OutcomeOf("a.json.gz");
        Assert.Equal(ObjectStatus.Succeeded, outcome.Status);
        Assert.Equal((3000, 2000, 1000), (outcome.Records, outcome.Kept, outcome.Dropped));
        Assert.Equal(1000, harness.Counters.RuleHits["drop ec2 describes"]);
    }

    [Fact]
    public async Task RunAsync_NothingKept_NoOutputUnlessWriteEmpty()
    {
        var json = OutputDocuments.Document([OutputDocuments.Record("DescribeInstances")]);
        var skipping = new PipelineHarness { Rules = RuleSetLoader.Load(DropEc2Reads, "test") };
        var writing = new PipelineHarness { Rules = RuleSetLoader.Load(DropEc2Reads, "test"), Output = new OutputOptions { Mode = OutputMode.Mirror, WriteEmpty = true } };

        await skipping.RunAsync(PipelineHarness.GzipObject("a.json.gz", json));
        await writing.RunAsync(PipelineHarness.GzipObject("a.json.gz", json));

        Assert.Empty(skipping.Sink.Committed);
        Assert.Equal(ObjectStatus.Succeeded, skipping.OutcomeOf("a.json.gz").Status);
        Assert.Empty(writing.Sink.RecordsOf("a.json.gz"));
    }

    [Fact]
    public async Task RunAsync_BadObjectsAmongGood_OnlyBadOnesFailWithNoOutput()
    {
        // Given good objects around bad ones, one of them failing only after many chunks were already written
        var good = OutputDocuments.Document(Enumerable.Range(0, 500).Select(i => OutputDocuments.Record("RunInstances", id: i)));
        var lateBadRecord = "{\"Records\":[" + string.Join(",", Enumerable.Range(0, 500).Select(i => OutputDocuments.Record("RunInstances", id: i))) + ",{\"eventName\":tru}]}";
        var truncatedGzip = Gzip.Compress(good)[..^20];
        var harness = new PipelineHarness();

        // When
        await harness.RunAsync(
            PipelineHarness.GzipObject("good1.json.gz", good),
            PipelineHarness.GzipObject("late-bad-record.json.gz", lateBadRecord),
            PipelineHarness.Object("truncated.json.gz", truncatedGzip),
            PipelineHarness.Object("garbage.json.gz", [0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
            PipelineHarness.GzipObject("no-records.json.gz", "{\"foo\":[]}"),
            PipelineHarness.GzipObject("not-json.json.gz", "hello"),
            PipelineHarness.GzipObject("trailing.json.gz", "{\"Records\":[]} x"),
            PipelineHarness.GzipObject("good2.json.gz", good));

        // Then only the good ones have output, complete; each bad one failed with its reason and left nothing
        Assert.Equal(["good1.json.gz", "good2.json.gz"], harness.Sink.Committed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(500, harness.Sink.RecordsOf("good2.json.gz").Count);
        Assert.Equal("InvalidRecord", harness.OutcomeOf("late-bad-record.json.gz").ErrorType);
        Assert.Contains("record 500", harness.OutcomeOf("late-bad-record.json.gz").Error, StringComparison.Ordinal);
        Assert.Equal("TruncatedGzip", harness.OutcomeOf("truncated.json.gz").ErrorType);
        Assert.Equal("CorruptGzip", harness.OutcomeOf("garbage.json.gz").ErrorType);
        Assert.Equal("NoRecords", harness.OutcomeOf("no-records.json.gz").ErrorType);
        Assert.Equal("NotJson", harness.OutcomeOf("not-json.json.gz").ErrorType);
        Assert.Equal("TrailingData", harness.OutcomeOf("trailing.json.gz").ErrorType);
        Assert.Equal(6, harness.Counters.FilesFailed);
        Assert.True(harness.Sink.Aborted >= 1, "the late-failing object had an output open, which must be aborted");
    }

    [Fact]
    public async Task RunAsync_DigestByKeyOrContent_SkippedWithoutOutput()
    {
        var harness = new PipelineHarness();

        await harness.RunAsync(
            PipelineHarness.GzipObject("AWSLogs/1/CloudTrail-Digest/us-east-1/2026/01/01/1_CloudTrail-Digest_us-east-1_x.json.gz", "{\"digestPublicKeyFingerprint\":\"a\"}"),
            PipelineHarness.GzipObject("elsewhere/digest.json.gz", "{\"awsAccountId\":\"1\",\"digestPublicKeyFingerprint\":\"a\",\"logFiles\":[]}"));

        Assert.All(harness.Outcomes, o => Assert.Equal(ObjectStatus.Skipped, o.Status));
        Assert.Empty(harness.Sink.Committed);
        Assert.Equal(2, harness.Counters.FilesSkipped);
    }

    [Fact]
    public async Task RunAsync_CommitFails_ObjectFails()
    {
        var harness = new PipelineHarness();
        harness.Sink.FailCommit = key => key == "b.json.gz";

        await harness.RunAsync(
            PipelineHarness.GzipObject("a.json.gz", OutputDocuments.Document([OutputDocuments.Record("RunInstances")])),
            PipelineHarness.GzipObject("b.json.gz", OutputDocuments.Document([OutputDocuments.Record("RunInstances")])));

        Assert.Equal(ObjectStatus.Succeeded, harness.OutcomeOf("a.json.gz").Status);
        Assert.Equal(ObjectStatus.Failed, harness.OutcomeOf("b.json.gz").Status);
        Assert.Contains("injected", harness.OutcomeOf("b.json.gz").Error, StringComparison.Ordinal);
    }

    [Theory]
    [CodecData(Codecs.Zlib)]
    [CodecData(Codecs.Isal)]
    public async Task RunAsync_RealCorpusKeepAll_OutputRecordsByteIdentical(string codec)
    {
        // Given every real Records file, filtered with a keep-everything rule set
        var files = Directory.GetFiles(RepoPaths.RealCorpus, "*.json.gz", SearchOption.AllDirectories)
            .Where(f => !f.Contains("digest", StringComparison.Ordinal) && !f.Contains("_originals", StringComparison.Ordinal))
            .ToList();
        var harness = new PipelineHarness { Pipeline = new PipelineOptions { FilterParallelism = 2, Compression = Codecs.Choice(codec) } };

        // When
        await harness.RunAsync([.. files.Select(f => PipelineHarness.Object(f, File.ReadAllBytes(f)))]);

        // Then each output holds its input's records, byte for byte, in order
        Assert.All(harness.Outcomes, o => Assert.Equal(ObjectStatus.Succeeded, o.Status));
        foreach (var file in files)
        {
            var expected = OutputDocuments.Records(Gzip.Decompress(File.ReadAllBytes(file)));
            Assert.Equal(expected, harness.Sink.RecordsOf(file));
        }

        Assert.True(harness.Counters.Records > 10_000);
    }
}
