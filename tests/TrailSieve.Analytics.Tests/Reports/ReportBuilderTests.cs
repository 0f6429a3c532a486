using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Reports;
using TrailSieve.Analytics.Storage;
using TrailSieve.Analytics.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Reports;

public sealed class ReportBuilderTests : IDisposable
{
    private const string A = "111122223333";
    private const string B = "444455556666";
    private static readonly ReportMonth s_october = new(2026, 10);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_Month_EveryFigurePerAccount()
    {
        // Given account A: 3 reads (one denied), a high-risk write, root, and three console logins; account B: one event;
        // and an A event in September that the October report must not count
        _dir.WriteRecords("a.json.gz",
            TempDir.Record("DescribeInstances", eventTime: "2026-10-01T10:00:00Z"),
            TempDir.Record("DescribeInstances", eventTime: "2026-10-01T11:00:00Z", user: "bob", ip: "203.0.113.5"),
            TempDir.Record("ListBuckets", eventTime: "2026-10-03T10:00:00Z", source: "s3.amazonaws.com", errorCode: "AccessDenied"),
            TempDir.Record("PutBucketPolicy", eventTime: "2026-10-31T23:59:59Z", source: "s3.amazonaws.com", readOnly: false),
            TempDir.Record("DescribeInstances", eventTime: "2026-09-30T23:59:59Z"),
            Login("2026-10-02T08:00:00Z", "Root", "Yes", "Success"),
            Login("2026-10-02T09:00:00Z", "IAMUser", "No", "Success"),
            Login("2026-10-02T09:01:00Z", "IAMUser", "No", "Failure"));
        _dir.WriteRecords("b.json.gz", TempDir.Record("GetObject", account: B, source: "s3.amazonaws.com", eventTime: "2026-10-15T00:00:00Z"));
        var findings = _dir.WriteGzip("alerts/findings-1.jsonl.gz",
            $$"""{"detection":"x","severity":"high","eventID":"1","eventTime":"2026-10-02T08:00:00Z","recipientAccountId":"{{A}}"}""" + "\n" +
            $$"""{"detection":"y","severity":"high","eventID":"2","eventTime":"2026-10-05T08:00:00Z","recipientAccountId":"{{A}}"}""" + "\n" +
            $$"""{"detection":"z","severity":"low","eventID":"3","eventTime":"2026-10-05T08:00:00Z","recipientAccountId":"{{A}}"}""" + "\n" +
            $$"""{"detection":"z","severity":"low","eventID":"4","eventTime":"2026-09-05T08:00:00Z","recipientAccountId":"{{A}}"}""" + "\n");

        // When
        var reports = Build([], [findings]);

        // Then
        Assert.Equal([A, B], reports.Select(r => r.Account));
        var a = reports[0];
        Assert.Equal(7, a.TotalEvents);
        Assert.Equal(4, a.DistinctEventNames);
        Assert.Equal(3, a.DistinctPrincipals);
        Assert.Equal(1, a.Errors);
        Assert.Equal(1 / 7.0, a.ErrorRate, 6);
        Assert.Equal(3, a.ReadEvents);
        Assert.Equal(4, a.WriteEvents);
        Assert.Equal(1, a.RootEvents);
        Assert.Equal(3, a.ConsoleLogins);
        Assert.Equal(1, a.ConsoleLoginsWithMfa);
        Assert.Equal(2, a.ConsoleLoginsWithoutMfa);
        Assert.Equal(1, a.FailedConsoleLogins);
        Assert.Equal(1, a.HighRiskActions.Single(h => h.Name == "s3:PutBucketPolicy").Count);
        Assert.Equal(10, a.HighRiskActions.Count);
        Assert.Equal([new NamedCount("high", 2), new NamedCount("low", 1)], a.FindingsBySeverity);
        Assert.Equal([new NamedCount("ConsoleLogin", 3), new NamedCount("DescribeInstances", 2), new NamedCount("ListBuckets", 1), new NamedCount("PutBucketPolicy", 1)], a.TopEventNames);
        Assert.Equal(new NamedCount("alice", 5), a.TopPrincipals[0]);
        Assert.Equal(31, a.DailyVolume.Count);
        Assert.Equal([2L, 3, 1], a.DailyVolume.Take(3).Select(d => d.Count));
        Assert.Equal(new NamedCount("2026-10-31", 1), a.DailyVolume[^1]);
        Assert.Equal(1, reports[1].TotalEvents);
        Assert.Empty(reports[1].FindingsBySeverity!);
    }

    [Fact]
    public void Build_NamedAccountWithoutEvents_GetsAnEmptyReport_AndNoFindingsPrefixIsNull()
    {
        _dir.WriteRecords("a.json.gz", TempDir.Record("DescribeInstances"));

        var reports = Build(["999999999999"], null);

        var empty = Assert.Single(reports);
        Assert.Equal("999999999999", empty.Account);
        Assert.Equal(0, empty.TotalEvents);
        Assert.Null(empty.FindingsBySeverity);
        Assert.All(empty.DailyVolume, d => Assert.Equal(0, d.Count));
    }

    [Theory]
    [InlineData("previous", "2026-01-15T00:00:00Z", "2025-12")]
    [InlineData("previous", "2026-11-01T00:00:00Z", "2026-10")]
    [InlineData("2026-10", "2030-01-01T00:00:00Z", "2026-10")]
    public void ReportMonth_Parse_PreviousIsTheCalendarMonthBefore(string text, string now, string expected)
    {
        Assert.True(ReportMonth.TryParse(text, DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), out var month));
        Assert.Equal(expected, month.ToString());
        Assert.False(ReportMonth.TryParse("October", DateTime.UtcNow, out _));
    }

    [Fact]
    public async Task WriteAsync_Html_SelfContainedAndEscaped()
    {
        // Given a principal name that is HTML
        _dir.WriteRecords("a.json.gz", TempDir.Record("DescribeInstances", user: "<script>alert(1)</script>"));
        var reports = Build([], null);

        // When
        var keys = await ReportWriter.WriteAsync(new LocalObjectStore(_dir.Combine("out")), s_october, reports, new DateTime(2026, 11, 1, 6, 0, 0, DateTimeKind.Utc), _dir.Combine("scratch"), CancellationToken.None);

        // Then
        Assert.Equal(["2026-10/111122223333.json", "2026-10/111122223333.html", "2026-10/index.json", "2026-10/index.html"], keys);
        var html = File.ReadAllText(_dir.Combine("out", "2026-10", "111122223333.html"));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("href=\"111122223333.html\"", File.ReadAllText(_dir.Combine("out", "2026-10", "index.html")), StringComparison.Ordinal);
    }

    private List<AccountReport> Build(string[] accounts, IReadOnlyList<string>? findings)
    {
        using var engine = new AnalyticsEngine();
        engine.UseData(DataFiles.Find([_dir.Path]));
        return [.. ReportBuilder.Build(engine, s_october, accounts, findings)];
    }

    private static string Login(string time, string type, string mfa, string result) =>
        $$"""{"userIdentity":{"type":"{{type}}","accountId":"{{A}}","userName":"{{(type == "Root" ? "root" : "alice")}}"},"eventTime":"{{time}}","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","responseElements":{"ConsoleLogin":"{{result}}"},"additionalEventData":{"MFAUsed":"{{mfa}}"},"eventID":"{{Guid.NewGuid()}}","readOnly":false,"eventType":"AwsConsoleSignIn","recipientAccountId":"{{A}}"}""";
}
