using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Reports;

/// <summary>Writes the reports of a month to a store: <c>MONTH/ACCOUNT.json</c>, <c>MONTH/ACCOUNT.html</c>, <c>MONTH/index.html</c>, <c>MONTH/index.json</c>.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes every file; returns the keys written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        IObjectStore output, ReportMonth month, IReadOnlyList<AccountReport> reports, DateTime generatedUtc, string scratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reports);
        var generated = generatedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var files = new List<(string Key, string Content, string Type)>();
        foreach (var report in reports)
        {
            files.Add(($"{month}/{report.Account}.json", JsonSerializer.Serialize(report, s_json) + "\n", "application/json"));
            files.Add(($"{month}/{report.Account}.html", HtmlReport.Account(report, generated), "text/html; charset=utf-8"));
        }

        files.Add(($"{month}/index.json", JsonSerializer.Serialize(new { month = month.ToString(), generated = generatedUtc, accounts = reports.Select(r => r.Account) }, s_json) + "\n", "application/json"));
        files.Add(($"{month}/index.html", HtmlReport.Index(month.ToString(), reports, generated), "text/html; charset=utf-8"));
        Directory.CreateDirectory(scratch);
        foreach (var (key, content, type) in files)
        {
            var local = Path.Combine(scratch, Path.GetFileName(key));
            await File.WriteAllTextAsync(local, content, cancellationToken).ConfigureAwait(false);
            await output.UploadAsync(local, key, type, cancellationToken).ConfigureAwait(false);
        }

        return [.. files.Select(f => f.Key)];
    }
}
