using System.Globalization;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// One account's month, built up a set of data files at a time (the partitions that fit the spool, then the objects
/// outside a partition): each set's records of the account and month are narrowed, in one pass, into a temporary
/// table of the dozen columns the report reads, and the high-risk pack is evaluated on the few records it can hit,
/// before the next set replaces the engine's view. The report is
/// then a handful of aggregates over that table, so the data files are read once and need not be on disk together.
/// </summary>
internal sealed class AccountMonth
{
    private const string Table = "report_events";
    private const string Batch = "report_batch";

    private readonly AnalyticsEngine _engine;
    private readonly ReportMonth _month;
    private readonly HighRiskPack _pack;
    private readonly HighRiskTally _highRisk;

    public AccountMonth(AnalyticsEngine engine, ReportMonth month, string account, HighRiskPack highRisk)
    {
        ArgumentNullException.ThrowIfNull(highRisk);
        _engine = engine;
        _month = month;
        Account = account;
        _pack = highRisk;
        _highRisk = highRisk.Tally();
        engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE {Table} (
                day DATE, eventsource VARCHAR, eventname VARCHAR, principal VARCHAR, sourceipaddress VARCHAR,
                errorcode VARCHAR, readonly VARCHAR, useridentity_type VARCHAR, mfa VARCHAR, login VARCHAR)
            """);
    }

    /// <summary>The account, as the records name it (<c>unknown</c> when they do not).</summary>
    public string Account { get; }

    /// <summary>The condition on the <c>cloudtrail</c> view that picks the month's records of an account.</summary>
    public static string Condition(ReportMonth month, string? account) =>
        $"eventtime >= {Timestamp(month.Start)} AND eventtime < {Timestamp(month.End)}"
        + (account is null ? string.Empty : $" AND {AccountColumn} = {Sql.Literal(account)}");

    /// <summary>The account a view row belongs to: its partition's, else the record's, else <c>unknown</c>.</summary>
    public const string AccountColumn = "COALESCE(account, 'unknown')";

    /// <summary>Adds the account's records of the month in <paramref name="files"/>.</summary>
    public void Add(DataFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return;
        }

        // One pass over the files: the narrow columns, and the record itself (as JSON) only where a high-risk
        // detection can hit it; the pack is evaluated on those few, then the batch joins the month's table.
        _engine.UseData(files);
        _engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE {Batch} AS
            SELECT CAST(eventtime AS DATE) AS day, eventsource, eventname, principal, sourceipaddress, errorcode, readonly, useridentity_type,
                   json_extract_string(additionaleventdata, '$.MFAUsed') AS mfa, json_extract_string(responseelements, '$.ConsoleLogin') AS login,
                   {_pack.CandidateRecord} AS record
            FROM {CloudTrailView.ViewName}
            WHERE {Condition(_month, Account)}
            """);
        _highRisk.Add(_engine, $"SELECT record FROM {Batch} WHERE record IS NOT NULL");
        _engine.Execute($"INSERT INTO {Table} SELECT * EXCLUDE (record) FROM {Batch}");
        _engine.Execute($"DROP TABLE {Batch}");
    }

    /// <summary>The report of what was added.</summary>
    /// <param name="findingsFiles">The month's findings files (gzip JSON Lines); null when there is no findings prefix.</param>
    public AccountReport Build(IReadOnlyList<string>? findingsFiles)
    {
        using var reader = _engine.Query($"""
            SELECT count(*), count(DISTINCT eventname), count(DISTINCT principal), count(errorcode),
                   count(*) FILTER (WHERE readonly = 'true'), count(*) FILTER (WHERE readonly = 'false'),
                   count(*) FILTER (WHERE useridentity_type = 'Root'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin' AND mfa = 'Yes'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin' AND mfa = 'No'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin' AND (errorcode IS NOT NULL OR login = 'Failure'))
            FROM {Table}
            """);
        reader.Read();
        return new AccountReport
        {
            Account = Account,
            Month = _month.ToString(),
            TotalEvents = reader.GetInt64(0),
            DistinctEventNames = reader.GetInt64(1),
            DistinctPrincipals = reader.GetInt64(2),
            Errors = reader.GetInt64(3),
            ReadEvents = reader.GetInt64(4),
            WriteEvents = reader.GetInt64(5),
            RootEvents = reader.GetInt64(6),
            ConsoleLogins = reader.GetInt64(7),
            ConsoleLoginsWithMfa = reader.GetInt64(8),
            ConsoleLoginsWithoutMfa = reader.GetInt64(9),
            FailedConsoleLogins = reader.GetInt64(10),
            HighRiskActions = _highRisk.Counts,
            FindingsBySeverity = findingsFiles is null ? null : Findings(findingsFiles),
            TopEventNames = Top("eventname"),
            TopPrincipals = Top("principal"),
            TopSourceIps = Top("sourceipaddress"),
            DailyVolume = EveryDay(Counts($"SELECT strftime(day, '%Y-%m-%d'), count(*) FROM {Table} GROUP BY 1")),
        };
    }

    private List<NamedCount> Findings(IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            return [];
        }

        return Counts($"""
            SELECT COALESCE(lower(severity), 'unknown') AS sev, count(*)
            FROM read_json({Sql.List(files)}, format = 'newline_delimited',
                           columns = {"{"}severity: 'VARCHAR', recipientAccountId: 'VARCHAR', eventTime: 'VARCHAR'{"}"})
            WHERE TRY_CAST(eventTime AS TIMESTAMP) >= {Timestamp(_month.Start)} AND TRY_CAST(eventTime AS TIMESTAMP) < {Timestamp(_month.End)}
              AND COALESCE(recipientAccountId, 'unknown') = {Sql.Literal(Account)}
            GROUP BY 1
            ORDER BY CASE sev WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 WHEN 'info' THEN 4 ELSE 5 END, 1
            """);
    }

    private List<NamedCount> Top(string column) => Counts($"""
        SELECT COALESCE({column}, '(none)') AS name, count(*) AS n FROM {Table}
        GROUP BY 1 ORDER BY n DESC, name LIMIT 10
        """);

    /// <summary>Rows of (name, count), in the order read.</summary>
    private List<NamedCount> Counts(string sql)
    {
        var result = new List<NamedCount>();
        using var reader = _engine.Query(sql);
        while (reader.Read())
        {
            result.Add(new NamedCount(reader.GetString(0), reader.GetInt64(1)));
        }

        return result;
    }

    private List<NamedCount> EveryDay(List<NamedCount> days) =>
        [.. Enumerable.Range(0, _month.Days).Select(d =>
        {
            var day = _month.Start.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new NamedCount(day, days.FirstOrDefault(x => x.Name == day)?.Count ?? 0);
        })];

    private static string Timestamp(DateTime time) => $"TIMESTAMP '{time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'";
}
