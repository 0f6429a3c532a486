using TrailSieve.Core.Tests.TestSupport;
using TrailSieve.Worker.Local;
using TrailSieve.Worker.Options;
using TrailSieve.Worker.Pipeline;
using TrailSieve.Worker.Tests.TestSupport;
using static TrailSieve.Worker.Tests.Detections.DetectionsTestData;

namespace TrailSieve.Worker.Tests.Local;

public sealed class LocalInputsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trailsieve-local-inputs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Enumerate_CloudTrailTree_InTimeOrderAcrossAccountsAndRegions_OtherFilesAfterInPathOrder()
    {
        // Given an AWSLogs tree of two accounts, two regions and two days, files not named by CloudTrail beside it,
        // and a CloudTrail file given on its own after the tree
        var tree = Path.Combine(_dir, "tree");
        Log(tree, "111111111111", "us-east-1", "20260301T0900Z", "a");
        Log(tree, "111111111111", "us-east-1", "20260302T0000Z", "b");
        Log(tree, "111111111111", "eu-west-1", "20260301T0905Z", "c");
        Log(tree, "222222222222", "us-east-1", "20260301T0900Z", "d");
        Log(tree, "222222222222", "us-east-1", "20260301T2355Z", "e");
        Write(Path.Combine(tree, "zz-notes.json"), "[]");
        Write(Path.Combine(tree, "AWSLogs", "extra.json.gz"), "[]");
        var single = Log(Path.Combine(_dir, "single"), "333333333333", "us-east-1", "20260301T0100Z", "f");

        // When the inputs are enumerated
        var objects = LocalInputs.Enumerate([tree, single]);

        // Then CloudTrail's files come by the time in their names (a tie by path), the others after them in path order
        Assert.Equal(["f", "a", "d", "c", "e", "b", "extra.json.gz", "zz-notes.json"], objects.Select(o => Id(o.Name)));

        // And each keeps its output key, its path under its argument (mirror output is per input)
        Assert.Equal("AWSLogs/222222222222/CloudTrail/us-east-1/2026/03/01/222222222222_CloudTrail_us-east-1_20260301T2355Z_e.json.gz", objects[4].OutputKey);
        Assert.Equal("extra.json.gz", Path.GetFileName(objects[6].OutputKey));
    }

    [Fact]
    public async Task Enumerate_ThenFilter_ThresholdBurstInAnAccountThatSortsLater_StillFires()
    {
        // Given a tree where account 111's file of 23:00 (one failed login) comes before account 222's file of 09:00
        // (five failed logins from one address within a minute) in path order
        var tree = Path.Combine(_dir, "tree");
        var night = new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        Log(tree, "111111111111", "us-east-1", "20260301T2300Z", "late", FailedLogin("198.51.100.1", night));
        Log(tree, "222222222222", "us-east-1", "20260301T0900Z", "early", [.. Enumerable.Range(0, 5).Select(i => FailedLogin("203.0.113.66", morning.AddSeconds(i * 10)))]);
        var (harness, alerts) = Harness(OutputMode.Mirror, KeepAllWithThreats(), pipeline: PipelineHarness.OrderedPipeline());

        // When the inputs are enumerated and filtered with the threat pack, one object after the other in that order
        await harness.Create().RunAsync(LocalInputs.Enumerate([tree]), CancellationToken.None);

        // Then the burst fired: it was filtered first, not 14 hours behind the newest hit (past the lateness allowance)
        var finding = Assert.Single(Findings(alerts));
        Assert.Equal("Repeated failed console logins", finding.GetProperty("detection").GetString());
        Assert.Equal("203.0.113.66", finding.GetProperty("threshold").GetProperty("group").GetString());
        Assert.Equal(0, harness.Counters.LateHits);
    }

    private static string Log(string root, string account, string region, string timestamp, string id, params string[] records)
    {
        var day = $"{timestamp[..4]}/{timestamp[4..6]}/{timestamp[6..8]}";
        var path = Path.Combine(root, "AWSLogs", account, "CloudTrail", region, day, $"{account}_CloudTrail_{region}_{timestamp}_{id}.json.gz");
        Write(path, OutputDocuments.Document(records));
        return path;
    }

    private static void Write(string path, string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Gzip.Compress(json));
    }

    /// <summary>The id part of a CloudTrail file name, or the whole name of any other file.</summary>
    private static string Id(string path)
    {
        var name = Path.GetFileName(path);
        return name.Contains("_CloudTrail_", StringComparison.Ordinal) ? name.Split('_')[4].Split('.')[0] : name;
    }
}
