using System.Globalization;
using TrailSieve.Analytics.Ask;
using TrailSieve.Analytics.Engine;
using TrailSieve.Core.Tests.TestSupport;

namespace TrailSieve.Analytics.Tests.Ask;

/// <summary>
/// The question table: every question is translated, run over a fixture of real CloudTrail (tests/corpus/real),
/// and its rows compared with the answer computed from the same files by <see cref="CorpusRecord"/> (LINQ over
/// System.Text.Json, no SQL). "Now" is 2023-07-11 12:00 UTC, the day after the invictus-ir attack simulation.
/// </summary>
public sealed class AskCorpusTests : IClassFixture<AskCorpusTests.Corpus>
{
    private static readonly DateTime s_now = new(2023, 7, 11, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_yesterday = new(2023, 7, 10, 0, 0, 0, DateTimeKind.Utc);

    private readonly Corpus _corpus;

    public AskCorpusTests(Corpus corpus) => _corpus = corpus;

    private static bool Denied(CorpusRecord r) => r.ErrorCode is { } e && (e.Contains("AccessDenied", StringComparison.Ordinal) || e.Contains("Unauthorized", StringComparison.Ordinal) || e.Contains("Forbidden", StringComparison.Ordinal));

    private static bool Login(CorpusRecord r) => r.Name == "ConsoleLogin";

    // Open-ended phrases read partitions up to the end of tomorrow (UTC); the fixture's later records (other data
    // sets, 2023-07-19 to 2026) lie in the future of its "now" and are not read.
    private static bool Since(CorpusRecord r, DateTime t) => r.Time >= t && r.Time < s_now.Date.AddDays(2);

    private static bool On(CorpusRecord r, DateTime day) => r.Time >= day && r.Time < day.AddDays(1);

    /// <summary>Question, the records it selects, and the shape of its answer.</summary>
    public static TheoryData<string> Questions => [.. Cases.Keys];

    private static readonly Dictionary<string, (Func<CorpusRecord, bool> Filter, Answer Answer)> Cases = new()
    {
        // how many
        ["how many events"] = (_ => true, Answer.Count),
        ["how many s3 events"] = (r => r.Source == "s3.amazonaws.com", Answer.Count),
        ["how many failed ec2 calls"] = (r => r.Source == "ec2.amazonaws.com" && r.ErrorCode != null, Answer.Count),
        ["how many console logins"] = (Login, Answer.Count),
        ["how many failed console logins"] = (r => Login(r) && (r.ErrorCode != null || r.LoginResult == "Failure"), Answer.Count),
        ["how many console logins without MFA"] = (r => Login(r) && r.MfaUsed == "No", Answer.Count),
        ["how many console logins with MFA"] = (r => Login(r) && r.MfaUsed == "Yes", Answer.Count),
        ["how many successful console logins"] = (r => Login(r) && r.ErrorCode == null && r.LoginResult == "Success", Answer.Count),
        ["how many events by the root user"] = (r => r.IdentityType == "Root", Answer.Count),
        ["how many read-only events"] = (r => r.ReadOnly == "true", Answer.Count),
        ["how many write events"] = (r => r.ReadOnly == "false", Answer.Count),
        ["how many iam write events yesterday"] = (r => r.Source == "iam.amazonaws.com" && r.ReadOnly == "false" && On(r, s_yesterday), Answer.Count),
        ["count of kms events in the last 2 days"] = (r => r.Source == "kms.amazonaws.com" && Since(r, s_now.AddDays(-2)), Answer.Count),
        ["how many events today"] = (r => Since(r, s_now.Date), Answer.Count),
        ["how many cloudwatch events"] = (r => r.Source == "monitoring.amazonaws.com", Answer.Count),
        ["how many access denied errors in us-east-1"] = (r => Denied(r) && r.Region == "us-east-1", Answer.Count),
        ["number of unauthorized calls"] = (Denied, Answer.Count),
        ["how many events in account 056392974792"] = (r => r.Account == "056392974792", Answer.Count),
        ["how many sts events since 2023-07-10"] = (r => r.Source == "sts.amazonaws.com" && Since(r, s_yesterday), Answer.Count),
        ["how many events between 2019-01-01 and 2022-12-31"] = (r => r.Time >= new DateTime(2019, 1, 1) && r.Time < new DateTime(2023, 1, 1), Answer.Count),
        ["how many events on 2023-07-10 by user bert-jan"] = (r => On(r, s_yesterday) && r.Principal == "bert-jan", Answer.Count),
        ["how many calls by role stratus-red-team-ec2-get-password-data-role"] = (r => r.Role == "stratus-red-team-ec2-get-password-data-role", Answer.Count),
        ["how many lambda or secrets manager events"] = (r => r.Source is "lambda.amazonaws.com" or "secretsmanager.amazonaws.com", Answer.Count),
        ["how many ssm events in the last 1500 minutes"] = (r => r.Source == "ssm.amazonaws.com" && Since(r, s_now.AddMinutes(-1500)), Answer.Count),
        ["how many events in the last 36 hours from 10.8.8.10"] = (r => Since(r, s_now.AddHours(-36)) && r.Ip == "10.8.8.10", Answer.Count),
        ["how many iam:CreateAccessKey events"] = (r => r.Source == "iam.amazonaws.com" && r.Name == "CreateAccessKey", Answer.Count),
        ["how many dynamodb, sns, sqs or rds events"] = (r => r.Source is "dynamodb.amazonaws.com" or "sns.amazonaws.com" or "sqs.amazonaws.com" or "rds.amazonaws.com", Answer.Count),
        ["how many cloudtrail events before 2023-01-01"] = (r => r.Source == "cloudtrail.amazonaws.com" && r.Time < new DateTime(2023, 1, 1), Answer.Count),
        ["how many signin events"] = (r => r.Source == "signin.amazonaws.com", Answer.Count),

        // count by
        ["count by service"] = (_ => true, Answer.By(r => r.Source)),
        ["count failed events by user"] = (r => r.ErrorCode != null, Answer.By(r => r.Principal)),
        ["count by region for ec2"] = (r => r.Source == "ec2.amazonaws.com", Answer.By(r => r.Region)),
        ["count errors by error code"] = (r => r.ErrorCode != null, Answer.By(r => r.ErrorCode)),
        ["count by account"] = (_ => true, Answer.By(r => r.Account)),
        ["count denied calls per ip"] = (Denied, Answer.By(r => r.Ip)),
        ["who made write calls to iam"] = (r => r.ReadOnly == "false" && r.Source == "iam.amazonaws.com", Answer.By(r => r.Principal)),
        ["which regions had console logins"] = (Login, Answer.By(r => r.Region)),
        ["count by event for s3 errors"] = (r => r.Source == "s3.amazonaws.com" && r.ErrorCode != null, Answer.By(r => r.Name)),
        ["events per day since 2023-07-10"] = (r => Since(r, s_yesterday), Answer.By(r => r.Time?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),

        // top N
        ["top 10 events"] = (_ => true, Answer.Top(10, r => r.Name)),
        ["top 5 users by denied calls"] = (Denied, Answer.Top(5, r => r.Principal)),
        ["top 3 source ips for failed calls yesterday"] = (r => r.ErrorCode != null && On(r, s_yesterday), Answer.Top(3, r => r.Ip)),
        ["most common errors in kms"] = (r => r.Source == "kms.amazonaws.com" && r.ErrorCode != null, Answer.Top(10, r => r.ErrorCode)),
        ["top 5 services in us-east-1"] = (r => r.Region == "us-east-1", Answer.Top(5, r => r.Source)),
        ["top 3 accounts with root activity"] = (r => r.IdentityType == "Root", Answer.Top(3, r => r.Account)),

        // lists (newest first)
        ["list failed console logins without MFA"] = (r => Login(r) && (r.ErrorCode != null || r.LoginResult == "Failure") && r.MfaUsed == "No", Answer.List(50)),
        ["show root console logins"] = (r => r.IdentityType == "Root" && Login(r), Answer.List(50)),
        ["show me iam:DeleteUser events"] = (r => r.Source == "iam.amazonaws.com" && r.Name == "DeleteUser", Answer.List(50)),
        ["list denied s3 calls on 2024-01-15"] = (r => r.Source == "s3.amazonaws.com" && Denied(r) && On(r, new DateTime(2024, 1, 15)), Answer.List(50)),
        ["PutBucketPolicy events"] = (r => r.Name == "PutBucketPolicy", Answer.List(50)),
        ["last 5 events"] = (_ => true, Answer.List(5)),
        ["events by user benjamin in the last 2 days limit 20"] = (r => r.Principal == "benjamin" && Since(r, s_now.AddDays(-2)), Answer.List(20)),
    };

    /// <summary>Questions that select nothing on purpose, and why; every other question must select records.</summary>
    private static readonly Dictionary<string, string> DeliberatelyEmpty = new()
    {
        ["how many events today"] = "the fixture has no record on its 'today' (2023-07-11); the later ones are after tomorrow and not read",
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public void Ask_QuestionOverRealCorpus_ReturnsTheRowsTheRecordsGive(string question)
    {
        // Given the question's translation, and the records it must select (some, unless it is a deliberate zero-row case)
        var translation = QuestionTranslator.Translate(question, s_now);
        Assert.True(translation.Understood, $"not understood: {string.Join(", ", translation.Unknown)}");
        var (filter, answer) = Cases[question];
        var selected = _corpus.Records.Where(filter).ToList();
        Assert.True(
            selected.Count > 0 != DeliberatelyEmpty.ContainsKey(question),
            selected.Count == 0 ? $"'{question}' selects no record of the fixture: it tests nothing" : $"'{question}' is listed as selecting nothing but selects {selected.Count}");

        // When it runs over the fixture
        var rows = _corpus.Run(translation.Sql);

        // Then
        answer.Check(selected, rows, translation.Sql);
    }

    [Fact]
    public void Questions_AtLeastFortyEachKnownToTheTable()
    {
        Assert.True(Cases.Count >= 40);
        Assert.All(DeliberatelyEmpty.Keys, q => Assert.Contains(q, Cases.Keys));
    }

    [Fact]
    public void Corpus_KnownFigures()
    {
        // Anchors read off the corpus by hand, so the oracle itself is checked.
        Assert.Equal("29", _corpus.Run(QuestionTranslator.Translate("how many console logins", s_now).Sql).Single()[0]);
        Assert.Equal("13", _corpus.Run(QuestionTranslator.Translate("how many root events", s_now).Sql).Single()[0]);
    }

    /// <summary>The shape of an answer and how rows are compared with the oracle's.</summary>
    public abstract record Answer
    {
        public static Answer Count { get; } = new CountAnswer();

        public static Answer By(Func<CorpusRecord, string?> key) => new ByAnswer(key, null);

        public static Answer Top(int n, Func<CorpusRecord, string?> key) => new ByAnswer(key, n);

        public static Answer List(int limit) => new ListAnswer(limit);

        public abstract void Check(List<CorpusRecord> selected, List<string[]> rows, string sql);
    }

    private sealed record CountAnswer : Answer
    {
        public override void Check(List<CorpusRecord> selected, List<string[]> rows, string sql) =>
            Assert.True(selected.Count.ToString(CultureInfo.InvariantCulture) == rows.Single()[0], $"{sql}\nexpected {selected.Count}, got {rows.Single()[0]}");
    }

    private sealed record ByAnswer(Func<CorpusRecord, string?> Key, int? N) : Answer
    {
        public override void Check(List<CorpusRecord> selected, List<string[]> rows, string sql)
        {
            var expected = selected.GroupBy(r => Key(r) ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
            var actual = rows.Select(r => (Value: r[0], Count: int.Parse(r[1], CultureInfo.InvariantCulture))).ToList();
            if (N is { } n)
            {
                // Ties at the cut may pick either value; the counts, and each value's count, must agree.
                Assert.Equal(expected.Values.OrderDescending().Take(n), actual.Select(a => a.Count));
                Assert.All(actual, a => Assert.Equal(expected[a.Value], a.Count));
            }
            else
            {
                Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.Select(a => KeyValuePair.Create(a.Value, a.Count)).OrderBy(e => e.Key, StringComparer.Ordinal));
            }
        }
    }

    private sealed record ListAnswer(int Limit) : Answer
    {
        public override void Check(List<CorpusRecord> selected, List<string[]> rows, string sql)
        {
            Assert.Equal(Math.Min(Limit, selected.Count), rows.Count);
            var times = rows.Select(r => r[0]).ToList();
            Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
            // Exactly the newest Limit records (the SQL orders by eventtime descending, then eventid), also when more
            // match than the limit returns. Records sharing the last row's (eventTime, eventID) tie: any of them may fill
            // the remaining rows, every newer record must be there.
            var ordered = selected.OrderByDescending(r => r.Time).ThenBy(r => r.EventId, StringComparer.Ordinal).ToList();
            var newest = ordered.Take(Limit).ToList();
            var last = newest[^1];
            var tied = ordered.Where(r => r.Time == last.Time && r.EventId == last.EventId).Select(Describe).ToList();
            var remaining = rows.Select(r => $"{r[0]}|{r[4]}|{r[5]}|{r[6]}").ToList();
            foreach (var record in newest.Where(r => r.Time != last.Time || r.EventId != last.EventId))
            {
                Assert.True(remaining.Remove(Describe(record)), $"{sql}\nmissing the newer record {Describe(record)}");
            }

            foreach (var row in remaining)
            {
                Assert.True(tied.Remove(row), $"{sql}\n{row} is not among the newest {Limit}");
            }
        }
    }

    private static string Describe(CorpusRecord r) => string.Create(CultureInfo.InvariantCulture, $"{r.Time:yyyy-MM-dd HH:mm:ss.FFFFFF}|{r.Name}|{r.Principal}|{r.Ip}");

    /// <summary>The fixture: five folders of the real corpus, read once by DuckDB and once by the oracle.</summary>
    public sealed class Corpus : IDisposable
    {
        private static readonly string[] s_folders =
        [
            "invictus-ir-aws_dataset", "panther-labs-panther-analysis", "datadog-stratus-red-team-detonation-logs",
            "techcadia-cloudtrail-console-actions", "flosell-trailscraper",
        ];

        private readonly AnalyticsEngine _engine = new();

        public Corpus()
        {
            var root = RepoPaths.RealCorpus;
            var folders = s_folders.Select(f => Path.Combine(root, f)).ToList();
            Records = CorpusRecord.Load(folders);
            _engine.UseData(DataFiles.Find(folders));
        }

        public List<CorpusRecord> Records { get; }

        public List<string[]> Run(string sql)
        {
            using var reader = _engine.Query(sql);
            var rows = new List<string[]>();
            while (reader.Read())
            {
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => ResultWriter.Text(reader.IsDBNull(i) ? null : reader.GetValue(i)))]);
            }

            return rows;
        }

        public void Dispose() => _engine.Dispose();
    }
}
