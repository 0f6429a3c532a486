using System.Globalization;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// Builds the per-account reports of one month from the engine's <c>cloudtrail</c> view: the month's events are
/// narrowed once into a temporary table of the dozen columns the report reads, and every figure is an aggregate over
/// it, so the data files are scanned once whatever the number of accounts.
/// </summary>
public static class ReportBuilder
{
    private const string Table = "report_events";

    /// <param name="engine">An engine whose view is over the data.</param>
    /// <param name="month">The month.</param>
    /// <param name="accounts">Accounts to report; empty for every account with events.</param>
    /// <param name="findingsFiles">Findings files (gzip JSON Lines); null when there is no findings prefix.</param>
    public static IReadOnlyList<AccountReport> Build(AnalyticsEngine engine, ReportMonth month, IReadOnlyCollection<string> accounts, IReadOnlyList<string>? findingsFiles)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(accounts);
        var accountFilter = accounts.Count > 0 ? $" AND account IN ({string.Join(", ", accounts.Select(Sql.Literal))})" : string.Empty;
        engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE {Table} AS
            SELECT COALESCE(account, 'unknown') AS account, CAST(eventtime AS DATE) AS day, eventsource, eventname, principal,
                   sourceipaddress, errorcode, readonly, useridentity_type,
                   json_extract_string(additionaleventdata, '$.MFAUsed') AS mfa,
                   json_extract_string(responseelements, '$.ConsoleLogin') AS login
            FROM cloudtrail
            WHERE eventtime >= {Timestamp(month.Start)} AND eventtime < {Timestamp(month.End)}{accountFilter}
            """);

        var highRisk = Counts(engine, $"""
            SELECT account, split_part(eventsource, '.', 1) || ':' || eventname, count(*) FROM {Table}
            WHERE {string.Join(" OR ", HighRiskActions.All.Select(HighRiskCondition))}
            GROUP BY ALL
            """);
        var topEvents = Top(engine, "eventname");
        var topPrincipals = Top(engine, "principal");
        var topIps = Top(engine, "sourceipaddress");
        var daily = Counts(engine, $"SELECT account, strftime(day, '%Y-%m-%d'), count(*) FROM {Table} GROUP BY ALL");
        var findings = findingsFiles is null ? null : Findings(engine, findingsFiles, month, accounts);

        var reports = new List<AccountReport>();
        using var reader = engine.Query($"""
            SELECT account, count(*), count(DISTINCT eventname), count(DISTINCT principal), count(errorcode),
                   count(*) FILTER (WHERE readonly = 'true'), count(*) FILTER (WHERE readonly = 'false'),
                   count(*) FILTER (WHERE useridentity_type = 'Root'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin' AND mfa = 'Yes'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin' AND mfa = 'No'),
                   count(*) FILTER (WHERE eventname = 'ConsoleLogin' AND (errorcode IS NOT NULL OR login = 'Failure'))
            FROM {Table} GROUP BY account ORDER BY account
            """);
        var present = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var account = reader.GetString(0);
            present.Add(account);
            reports.Add(new AccountReport
            {
                Account = account,
                Month = month.ToString(),
                TotalEvents = reader.GetInt64(1),
                DistinctEventNames = reader.GetInt64(2),
                DistinctPrincipals = reader.GetInt64(3),
                Errors = reader.GetInt64(4),
                ReadEvents = reader.GetInt64(5),
                WriteEvents = reader.GetInt64(6),
                RootEvents = reader.GetInt64(7),
                ConsoleLogins = reader.GetInt64(8),
                ConsoleLoginsWithMfa = reader.GetInt64(9),
                ConsoleLoginsWithoutMfa = reader.GetInt64(10),
                FailedConsoleLogins = reader.GetInt64(11),
                HighRiskActions = [.. HighRiskActions.All.Select(a => new NamedCount(a, Get(highRisk, account).FirstOrDefault(c => c.Name == a)?.Count ?? 0))],
                FindingsBySeverity = findings is null ? null : Get(findings, account),
                TopEventNames = Get(topEvents, account),
                TopPrincipals = Get(topPrincipals, account),
                TopSourceIps = Get(topIps, account),
                DailyVolume = EveryDay(month, Get(daily, account)),
            });
        }

        // An account asked for by name gets a report even in a month without events: "nothing happened" is an answer.
        foreach (var account in accounts.Where(a => !present.Contains(a)).Order(StringComparer.Ordinal))
        {
            reports.Add(new AccountReport
            {
                Account = account,
                Month = month.ToString(),
                HighRiskActions = [.. HighRiskActions.All.Select(a => new NamedCount(a, 0))],
                FindingsBySeverity = findings is null ? null : Get(findings, account),
                TopEventNames = [],
                TopPrincipals = [],
                TopSourceIps = [],
                DailyVolume = EveryDay(month, []),
            });
        }

        return [.. reports.OrderBy(r => r.Account, StringComparer.Ordinal)];
    }

    private static Dictionary<string, List<NamedCount>> Findings(AnalyticsEngine engine, IReadOnlyList<string> files, ReportMonth month, IReadOnlyCollection<string> accounts)
    {
        if (files.Count == 0)
        {
            return [];
        }

        var accountFilter = accounts.Count > 0 ? $" AND recipientAccountId IN ({string.Join(", ", accounts.Select(Sql.Literal))})" : string.Empty;
        return Counts(engine, $"""
            SELECT COALESCE(recipientAccountId, 'unknown') AS acct, COALESCE(lower(severity), 'unknown') AS sev, count(*)
            FROM read_json({Sql.List(files)}, format = 'newline_delimited',
                           columns = {"{"}severity: 'VARCHAR', recipientAccountId: 'VARCHAR', eventTime: 'VARCHAR'{"}"})
            WHERE TRY_CAST(eventTime AS TIMESTAMP) >= {Timestamp(month.Start)} AND TRY_CAST(eventTime AS TIMESTAMP) < {Timestamp(month.End)}{accountFilter}
            GROUP BY 1, 2
            ORDER BY 1, CASE sev WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 WHEN 'info' THEN 4 ELSE 5 END, 2
            """);
    }

    private static Dictionary<string, List<NamedCount>> Top(AnalyticsEngine engine, string column) => Counts(engine, $"""
        SELECT account, name, n FROM (
            SELECT account, COALESCE({column}, '(none)') AS name, count(*) AS n,
                   row_number() OVER (PARTITION BY account ORDER BY count(*) DESC, COALESCE({column}, '(none)')) AS rank
            FROM {Table} GROUP BY account, {column})
        WHERE rank <= 10 ORDER BY account, rank
        """);

    /// <summary>Rows of (account, name, count), grouped by account in the order read.</summary>
    private static Dictionary<string, List<NamedCount>> Counts(AnalyticsEngine engine, string sql)
    {
        var result = new Dictionary<string, List<NamedCount>>(StringComparer.Ordinal);
        using var reader = engine.Query(sql);
        while (reader.Read())
        {
            var account = reader.GetString(0);
            (result.TryGetValue(account, out var list) ? list : result[account] = []).Add(new NamedCount(reader.GetString(1), reader.GetInt64(2)));
        }

        return result;
    }

    private static List<NamedCount> Get(Dictionary<string, List<NamedCount>> counts, string account) =>
        counts.TryGetValue(account, out var list) ? list : [];

    private static List<NamedCount> EveryDay(ReportMonth month, List<NamedCount> days) =>
        [.. Enumerable.Range(0, month.Days).Select(d =>
        {
            var day = month.Start.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new NamedCount(day, days.FirstOrDefault(x => x.Name == day)?.Count ?? 0);
        })];

    private static string HighRiskCondition(string action)
    {
        var (source, name) = HighRiskActions.Split(action);
        return $"(eventsource = {Sql.Literal(source)} AND eventname = {Sql.Literal(name)})";
    }

    private static string Timestamp(DateTime time) => $"TIMESTAMP '{time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}'";
}
