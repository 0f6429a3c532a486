using System.Globalization;
using System.Text;
using static TrailSieve.Analytics.Reports.Svg;

namespace TrailSieve.Analytics.Reports;

/// <summary>The self-contained HTML pages: one per account and an index over all accounts.</summary>
internal static class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#f6f7f9}
        main{max-width:960px;margin:0 auto;padding:24px 32px 48px;background:#fff}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #e3e3e3;padding-bottom:4px}
        .sub{color:#666;margin:0 0 16px}a{color:#2f6fab}
        .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
        .card{border:1px solid #e3e3e3;border-radius:6px;padding:10px 12px}
        .card .v{font-size:22px;font-weight:600}.card .k{font-size:12px;color:#666;text-transform:uppercase;letter-spacing:.03em}
        .warn .v{color:#b3261e}
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eee}
        th{color:#555;font-weight:600;background:#fafafa}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        tr.zero td{color:#999}tr.hit td{font-weight:600}.none{color:#666;font-style:italic}
        .cols{display:grid;grid-template-columns:1fr 1fr;gap:24px}
        footer{margin-top:40px;color:#888;font-size:12px}
        @media print{body{background:#fff}main{padding:0}}
        """;

    public static string Account(AccountReport report, string generatedAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        var month = Month(report.Month);
        var html = Start($"CloudTrail report: account {report.Account}, {month}");
        html.Append(F($"<h1>Account {E(report.Account)}</h1><p class=\"sub\">CloudTrail activity in {E(month)} (UTC) &middot; <a href=\"index.html\">all accounts</a></p>"));
        html.Append("<div class=\"cards\">");
        Card(html, "events", Number(report.TotalEvents));
        Card(html, "distinct event names", Number(report.DistinctEventNames));
        Card(html, "distinct principals", Number(report.DistinctPrincipals));
        Card(html, "errors", $"{Number(report.Errors)} <small>({report.ErrorRate.ToString("P1", CultureInfo.InvariantCulture)})</small>", report.Errors > 0);
        var readShare = report.ReadEvents + report.WriteEvents == 0 ? 0 : (double)report.ReadEvents / (report.ReadEvents + report.WriteEvents);
        Card(html, $"read-only ({Number(report.ReadEvents)}) vs write ({Number(report.WriteEvents)})", $"{readShare.ToString("P1", CultureInfo.InvariantCulture)} <small>read-only</small>");
        Card(html, "root user events", Number(report.RootEvents), report.RootEvents > 0);
        Card(html, $"console logins without MFA ({Number(report.ConsoleLoginsWithMfa)} with MFA)", Number(report.ConsoleLoginsWithoutMfa), report.ConsoleLoginsWithoutMfa > 0);
        Card(html, $"failed console logins (of {Number(report.ConsoleLogins)})", Number(report.FailedConsoleLogins), report.FailedConsoleLogins > 0);
        html.Append("</div>");
        if (report.ConsoleLogins > report.ConsoleLoginsWithMfa + report.ConsoleLoginsWithoutMfa)
        {
            html.Append(F($"<p class=\"none\">{Number(report.ConsoleLogins - report.ConsoleLoginsWithMfa - report.ConsoleLoginsWithoutMfa)} of {Number(report.ConsoleLogins)} console logins do not say whether MFA was used.</p>"));
        }

        html.Append("<h2>Events per day</h2>").Append(DailyBars(report.DailyVolume, $"Events per day in {month}"));
        html.Append("<h2>High-risk actions</h2><table><tr><th>action</th><th class=\"n\">events</th></tr>");
        foreach (var action in report.HighRiskActions)
        {
            html.Append(F($"<tr class=\"{(action.Count > 0 ? "hit" : "zero")}\"><td>{E(action.Name)}</td><td class=\"n\">{Number(action.Count)}</td></tr>"));
        }

        html.Append("</table>");
        html.Append("<h2>Findings by severity</h2>");
        if (report.FindingsBySeverity is null)
        {
            html.Append("<p class=\"none\">No findings were read: there is no findings prefix (alerts/, or --findings) for this data.</p>");
        }
        else if (report.FindingsBySeverity.Count == 0)
        {
            html.Append("<p class=\"none\">No findings this month.</p>");
        }
        else
        {
            Table(html, "severity", report.FindingsBySeverity);
        }

        html.Append("<h2>Top event names</h2>").Append(HorizontalBars(report.TopEventNames, $"Top event names in {month}"));
        html.Append("<div class=\"cols\"><div><h2>Top principals</h2>");
        Table(html, "principal", report.TopPrincipals);
        html.Append("</div><div><h2>Top source IPs</h2>");
        Table(html, "source IP or service", report.TopSourceIps);
        html.Append("</div></div>");
        return End(html, generatedAt);
    }

    public static string Index(string month, IReadOnlyList<AccountReport> reports, string generatedAt)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var title = Month(month);
        var html = Start($"CloudTrail reports, {title}");
        html.Append(F($"<h1>CloudTrail reports</h1><p class=\"sub\">{E(title)} (UTC) &middot; {reports.Count} account{(reports.Count == 1 ? string.Empty : "s")} &middot; {Number(reports.Sum(r => r.TotalEvents))} events</p>"));
        if (reports.Count == 0)
        {
            html.Append("<p class=\"none\">No events in this month.</p>");
            return End(html, generatedAt);
        }

        html.Append("<table><tr><th>account</th><th class=\"n\">events</th><th class=\"n\">errors</th><th class=\"n\">error rate</th><th class=\"n\">root user events</th><th class=\"n\">console logins without MFA</th><th class=\"n\">failed console logins</th><th class=\"n\">high-risk actions</th><th class=\"n\">findings</th></tr>");
        foreach (var r in reports)
        {
            var findings = r.FindingsBySeverity is null ? "–" : Number(r.FindingsBySeverity.Sum(f => f.Count));
            html.Append(F($"<tr><td><a href=\"{E(ReportFiles.Name(r.Account))}.html\">{E(r.Account)}</a></td><td class=\"n\">{Number(r.TotalEvents)}</td><td class=\"n\">{Number(r.Errors)}</td><td class=\"n\">{r.ErrorRate.ToString("P1", CultureInfo.InvariantCulture)}</td><td class=\"n\">{Number(r.RootEvents)}</td><td class=\"n\">{Number(r.ConsoleLoginsWithoutMfa)}</td><td class=\"n\">{Number(r.FailedConsoleLogins)}</td><td class=\"n\">{Number(r.HighRiskActions.Sum(a => a.Count))}</td><td class=\"n\">{findings}</td></tr>"));
        }

        html.Append("</table>");
        if (reports.Any(r => r.FindingsBySeverity is null))
        {
            html.Append("<p class=\"none\">Findings \u2013: no findings prefix (alerts/, or --findings) was found for the data.</p>");
        }

        return End(html, generatedAt);
    }

    private static void Card(StringBuilder html, string label, string value, bool warn = false) =>
        html.Append(F($"<div class=\"card{(warn ? " warn" : string.Empty)}\"><div class=\"v\">{value}</div><div class=\"k\">{E(label)}</div></div>"));

    private static void Table(StringBuilder html, string header, IReadOnlyList<NamedCount> rows)
    {
        if (rows.Count == 0)
        {
            html.Append("<p class=\"none\">None.</p>");
            return;
        }

        html.Append(F($"<table><tr><th>{E(header)}</th><th class=\"n\">events</th></tr>"));
        foreach (var row in rows)
        {
            html.Append(F($"<tr><td>{E(row.Name)}</td><td class=\"n\">{Number(row.Count)}</td></tr>"));
        }

        html.Append("</table>");
    }

    private static StringBuilder Start(string title) =>
        new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(F($"<title>{E(title)}</title><style>{Style}</style></head><body><main>"));

    private static string End(StringBuilder html, string generatedAt) =>
        html.Append(F($"<footer>Generated by trailsieve report at {E(generatedAt)}. Times are UTC.</footer></main></body></html>\n")).ToString();

    private static string Month(string month) =>
        DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) ? m.ToString("MMMM yyyy", CultureInfo.InvariantCulture) : month;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
