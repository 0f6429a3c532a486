using TrailSieve.Analytics.Reports;
using TrailSieve.Analytics.Storage;
using TrailSieve.Analytics.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Reports;

public sealed class ReportRunnerTests : IDisposable
{
    private const string A = "111122223333";
    private const string B = "444455556666";
    private const string C = "555566667777";
    private static readonly ReportMonth s_october = new(2026, 10);

    private readonly TempDir _dir = new();

    public ReportRunnerTests()
    {
        // Three October partitions of A (two regions), one of B, a September one of A, objects outside any partition
        // layout with records of A and of C, and findings partitioned by day in October and in September.
        Partition(A, "eu-west-1", "2026-10-01");
        Partition(A, "eu-west-1", "2026-10-02");
        Partition(A, "us-east-1", "2026-10-03");
        Partition(B, "eu-west-1", "2026-10-05");
        Partition(A, "eu-west-1", "2026-09-30");
        _dir.WriteRecords("data/loose/mirror.json.gz", TempDir.Record("GetObject", eventTime: "2026-10-07T00:00:00Z"), TempDir.Record("ListBuckets", account: C, eventTime: "2026-10-08T00:00:00Z"));
        _dir.WriteGzip("data/alerts/2026/10/05/findings-1.jsonl.gz", $$"""{"severity":"high","eventTime":"2026-10-05T01:00:00Z","recipientAccountId":"{{A}}"}""" + "\n");
        _dir.WriteGzip("data/alerts/2026/09/30/findings-0.jsonl.gz", $$"""{"severity":"high","eventTime":"2026-09-30T01:00:00Z","recipientAccountId":"{{A}}"}""" + "\n");
    }

    public void Dispose() => _dir.Dispose();

    private string Data => _dir.Combine("data");

    private string Output => _dir.Combine("out");

    [Fact]
    public async Task RunAsync_RemoteData_EveryAccountFromPartitionsAndLooseObjects()
    {
        // When
        var summary = await RunAsync(new RemoteStore(Data), new RemoteStore(_dir.Combine("data", "alerts")), Options());

        // Then A has its three October partitions plus its loose record, B its one, C only a loose record
        Assert.Equal([A, B, C], summary.Reports.Select(r => r.Account));
        Assert.Equal([7L, 2, 1], summary.Reports.Select(r => r.TotalEvents));
        Assert.Equal([new NamedCount("high", 1)], summary.Reports[0].FindingsBySeverity);
        Assert.Equal(5, summary.DataFiles);
        Assert.Equal(1, summary.FindingsFiles);
        Assert.True(File.Exists(Path.Combine(Output, "2026-10", C + ".html")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Combine("spool")));
    }

    [Fact]
    public async Task RunAsync_SpoolLimitOfOnePartition_Fits_BecauseEachPartitionIsDeletedBeforeTheNext()
    {
        // Given a limit that holds the findings, the loose objects and one partition, but not two partitions
        var partitions = Directory.GetFiles(Data, "*.json.gz", SearchOption.AllDirectories).Where(f => f.Contains("account=", StringComparison.Ordinal)).Select(f => new FileInfo(f).Length).ToList();
        var kept = new FileInfo(_dir.Combine("data", "loose", "mirror.json.gz")).Length + new FileInfo(_dir.Combine("data", "alerts", "2026", "10", "05", "findings-1.jsonl.gz")).Length;
        Assert.True(partitions.Max() < 2 * partitions.Min());
        var limit = kept + partitions.Max();

        // When
        var summary = await RunAsync(new RemoteStore(Data), new RemoteStore(_dir.Combine("data", "alerts")), Options() with { SpoolLimitBytes = limit });

        // Then
        Assert.Equal(3, summary.Reports.Count);
    }

    [Fact]
    public async Task RunAsync_PartitionOverTheLimit_FailsNamingThePartition()
    {
        var error = await Assert.ThrowsAsync<SpoolLimitException>(() => RunAsync(new RemoteStore(Data), null, Options() with { SpoolLimitBytes = 1 }));

        Assert.StartsWith("the data objects outside a day partition: 1 objects", error.Message, StringComparison.Ordinal);
        File.Delete(_dir.Combine("data", "loose", "mirror.json.gz"));
        error = await Assert.ThrowsAsync<SpoolLimitException>(() => RunAsync(new RemoteStore(Data), null, Options() with { SpoolLimitBytes = 1 }));
        Assert.StartsWith($"partition {A}/eu-west-1/2026-10-01: 1 objects", error.Message, StringComparison.Ordinal);
        Assert.Contains("--spool-limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Accounts_ListsOnlyTheirFoldersOfTheMonth_AndOnlyTheMonthsFindings()
    {
        // Given
        var data = new RemoteStore(Data);
        var findings = new RemoteStore(_dir.Combine("data", "alerts"));

        // When
        var summary = await RunAsync(data, findings, Options() with { Accounts = new HashSet<string> { A } });

        // Then B's folder and September were never listed, nor September's findings; C is not reported
        Assert.Equal([A], summary.Reports.Select(r => r.Account));
        Assert.Equal(7, summary.Reports[0].TotalEvents);
        Assert.DoesNotContain(data.LevelsListed.Concat(data.Listed), k => k.Contains(B, StringComparison.Ordinal) || k.Contains("month=09", StringComparison.Ordinal));
        Assert.DoesNotContain(data.Listed, k => k.StartsWith("alerts/", StringComparison.Ordinal));
        Assert.DoesNotContain(findings.Listed, k => k.StartsWith("2026/09/", StringComparison.Ordinal));
        Assert.Equal(1, findings.Downloads);
    }

    [Fact]
    public async Task RunAsync_AccountValuesFromRecords_BecomeSafeFileNames()
    {
        // Given loose records whose account is not an account id
        Directory.Delete(Data, recursive: true);
        _dir.WriteRecords("data/x.json.gz", TempDir.Record("GetObject", account: "../../evil"), TempDir.Record("GetObject", account: "<b>"));

        // When
        var summary = await RunAsync(new LocalObjectStore(Data), null, Options());

        // Then the reports keep the values, the files get names that stay in the month's folder
        Assert.Equal(["../../evil", "<b>"], summary.Reports.Select(r => r.Account));
        var files = Directory.GetFiles(Output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Output, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(6, files.Count);
        Assert.All(files, f => Assert.Matches("^2026-10/(index|other-[0-9a-f]{16})\\.(json|html)$", f));
        Assert.Contains($"href=\"{ReportFiles.Name("../../evil")}.html\"", File.ReadAllText(Path.Combine(Output, "2026-10", "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Html_SelfContainedAndEscaped()
    {
        // Given a principal name that is HTML
        Directory.Delete(Data, recursive: true);
        _dir.WriteRecords("data/a.json.gz", TempDir.Record("DescribeInstances", user: "<script>alert(1)</script>"));

        // When
        var summary = await RunAsync(new LocalObjectStore(Data), null, Options());

        // Then
        Assert.Equal(["2026-10/111122223333.json", "2026-10/111122223333.html", "2026-10/index.json", "2026-10/index.html"], summary.Keys);
        var html = File.ReadAllText(Path.Combine(Output, "2026-10", "111122223333.html"));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("href=\"111122223333.html\"", File.ReadAllText(Path.Combine(Output, "2026-10", "index.html")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("previous", "2026-01-15T00:00:00Z", "2025-12")]
    [InlineData("previous", "2026-11-01T00:00:00Z", "2026-10")]
    [InlineData("2026-10", "2030-01-01T00:00:00Z", "2026-10")]
    public void ReportMonth_Parse_PreviousIsTheCalendarMonthBefore(string text, string now, string expected)
    {
        var at = DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

        Assert.True(ReportMonth.TryParse(text, at, out var month));
        Assert.Equal(expected, month.ToString());
        Assert.False(ReportMonth.TryParse("October", at, out _));
    }

    private ReportOptions Options() => new()
    {
        Month = s_october,
        ExcludedPrefixes = ["alerts/"],
        SpoolDirectory = _dir.Combine("spool"),
        GeneratedUtc = new DateTime(2026, 11, 1, 3, 0, 0, DateTimeKind.Utc),
    };

    private Task<ReportSummary> RunAsync(IObjectStore data, IObjectStore? findings, ReportOptions options) =>
        new ReportRunner(data, findings, new LocalObjectStore(Output), options, TextWriter.Null).RunAsync(CancellationToken.None);

    private void Partition(string account, string region, string day) =>
        _dir.WriteRecords(
            $"data/account={account}/region={region}/year={day[..4]}/month={day[5..7]}/day={day[8..]}/{Guid.NewGuid():N}.json.gz",
            TempDir.Record("DescribeInstances", account: account, region: region, eventTime: day + "T10:00:00Z"),
            TempDir.Record("DescribeInstances", account: account, region: region, eventTime: day + "T11:00:00Z"));
}
