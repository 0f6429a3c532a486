using TrailSieve.Analytics.Engine;
using TrailSieve.Analytics.Reports;
using TrailSieve.Analytics.Tests.TestSupport;
using TrailSieve.Core.Detections;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Reports;

public sealed class AccountMonthTests : IDisposable
{
    private const string A = "111122223333";
    private const string B = "444455556666";
    private static readonly ReportMonth s_october = new(2026, 10);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_Month_EveryFigureOfTheAccountOnly()
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
            $$"""{"detection":"z","severity":"low","eventID":"4","eventTime":"2026-09-05T08:00:00Z","recipientAccountId":"{{A}}"}""" + "\n" +
            $$"""{"detection":"z","severity":"low","eventID":"5","eventTime":"2026-10-05T08:00:00Z","recipientAccountId":"{{B}}"}""" + "\n");

        // When
        var a = Build(A, [findings]);
        var b = Build(B, [findings]);

        // Then
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
        Assert.Equal(HighRiskPack.Shipped.Names, a.HighRiskActions.Select(h => h.Name));
        Assert.Equal([new NamedCount("high", 2), new NamedCount("low", 1)], a.FindingsBySeverity);
        Assert.Equal([new NamedCount("ConsoleLogin", 3), new NamedCount("DescribeInstances", 2), new NamedCount("ListBuckets", 1), new NamedCount("PutBucketPolicy", 1)], a.TopEventNames);
        Assert.Equal(new NamedCount("alice", 5), a.TopPrincipals[0]);
        Assert.Equal(31, a.DailyVolume.Count);
        Assert.Equal([2L, 3, 1], a.DailyVolume.Take(3).Select(d => d.Count));
        Assert.Equal(new NamedCount("2026-10-31", 1), a.DailyVolume[^1]);
        Assert.Equal(1, b.TotalEvents);
        Assert.Equal([new NamedCount("low", 1)], b.FindingsBySeverity);
        Assert.All(b.HighRiskActions, h => Assert.Equal(0, h.Count));
    }

    [Fact]
    public void Build_AccountWithoutEvents_AnEmptyReport_AndNoFindingsPrefixIsNull()
    {
        _dir.WriteRecords("a.json.gz", TempDir.Record("DescribeInstances"));

        var empty = Build("999999999999", null);

        Assert.Equal("999999999999", empty.Account);
        Assert.Equal(0, empty.TotalEvents);
        Assert.Null(empty.FindingsBySeverity);
        Assert.All(empty.DailyVolume, d => Assert.Equal(0, d.Count));
    }

    [Fact]
    public void HighRiskPack_Shipped_IsEveryEnabledDetectionOfTheHighRiskPackFile()
    {
        // The report's list is the pack's, whatever it holds: a detection added to the file is a row of the report.
        var file = DetectionSetLoader.LoadFile(Path.Combine(RepoPaths.Root, "rules", "detections", "high-risk.yaml"));

        Assert.Equal(file.Detections.Select(d => d.Name), HighRiskPack.Shipped.Names);
        Assert.NotEmpty(HighRiskPack.Shipped.Names);
    }

    [Fact]
    public void Build_AnyDetectionOfThePack_CountedByTheDetectionEngineOnTheRecords()
    {
        // Given a pack whose detections look at more than eventSource/eventName: a nested request parameter, a user
        // with no event constraint at all (every record is a candidate), and a disabled one
        var pack = new HighRiskPack(DetectionSetLoader.Load("""
            detections:
              - name: "ec2:RunInstances with a role"
                severity: high
                matches:
                  - { field_name: eventSource, equals: ec2.amazonaws.com }
                  - { field_name: eventName, equals: RunInstances }
                  - { field_name: requestParameters.iamInstanceProfile.arn, prefix: "arn:aws:iam::" }
              - name: "anything by mallory"
                severity: high
                matches:
                  - { field_name: userIdentity.userName, equals: mallory }
              - name: "switched off"
                severity: high
                enabled: false
                matches:
                  - { field_name: eventName, equals: RunInstances }
            """, "test pack"));
        _dir.WriteRecords("a.json.gz",
            RunInstances("""{"iamInstanceProfile":{"arn":"arn:aws:iam::111122223333:instance-profile/web"}}"""),
            RunInstances("""{"instanceType":"t3.micro"}"""),
            TempDir.Record("ListBuckets", user: "mallory", source: "s3.amazonaws.com"),
            TempDir.Record("RunInstances", user: "mallory"));

        // When
        var report = Build(A, null, pack);

        // Then
        Assert.Equal([new NamedCount("ec2:RunInstances with a role", 1), new NamedCount("anything by mallory", 2)], report.HighRiskActions);
        Assert.Equal("true", pack.CandidateCondition);
    }

    [Fact]
    public void HighRiskPack_EventConstraints_OnlyThoseRecordsAreCandidates()
    {
        Assert.Equal(
            "((eventsource IN ('iam.amazonaws.com') AND eventname IN ('CreateUser', 'DeleteUser')) OR (eventname IN ('PutBucketPolicy')))",
            new HighRiskPack(DetectionSetLoader.Load("""
                detections:
                  - name: users
                    severity: high
                    matches:
                      - { field_name: eventSource, equals: iam.amazonaws.com }
                      - { field_name: eventName, in: [CreateUser, DeleteUser] }
                  - name: policies
                    severity: high
                    matches:
                      - { field_name: eventName, equals: PutBucketPolicy }
                      - { field_name: eventSource, regex: "^s3" }
                """, "test pack")).CandidateCondition);
    }

    private AccountReport Build(string account, IReadOnlyList<string>? findings, HighRiskPack? pack = null)
    {
        using var engine = new AnalyticsEngine();
        var month = new AccountMonth(engine, s_october, account, pack ?? HighRiskPack.Shipped);
        month.Add(DataFiles.Find([_dir.Path]));
        return month.Build(findings);
    }

    private static string RunInstances(string requestParameters) =>
        TempDir.Record("RunInstances", readOnly: false).Replace("\"requestParameters\":{\"n\":1}", $"\"requestParameters\":{requestParameters}", StringComparison.Ordinal);

    private static string Login(string time, string type, string mfa, string result) =>
        $$"""{"userIdentity":{"type":"{{type}}","accountId":"{{A}}","userName":"{{(type == "Root" ? "root" : "alice")}}"},"eventTime":"{{time}}","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","responseElements":{"ConsoleLogin":"{{result}}"},"additionalEventData":{"MFAUsed":"{{mfa}}"},"eventID":"{{Guid.NewGuid()}}","readOnly":false,"eventType":"AwsConsoleSignIn","recipientAccountId":"{{A}}"}""";
}
