using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// Writes a month's reports to a store: <c>MONTH/NAME.json</c> and <c>MONTH/NAME.html</c> per account as each is
/// done (NAME from <see cref="ReportFiles"/>), then <c>MONTH/index.html</c> and <c>MONTH/index.json</c>.
/// </summary>
internal sealed class ReportWriter(IObjectStore output, ReportMonth month, DateTime generatedUtc, string scratch)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly string _generated = generatedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    private readonly List<string> _keys = [];

    /// <summary>The keys written so far.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public async Task WriteAccountAsync(AccountReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var name = ReportFiles.Name(report.Account);
        await WriteAsync($"{month}/{name}.json", JsonSerializer.Serialize(report, s_json) + "\n", "application/json", cancellationToken).ConfigureAwait(false);
        await WriteAsync($"{month}/{name}.html", HtmlReport.Account(report, _generated), "text/html; charset=utf-8", cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteIndexAsync(IReadOnlyList<AccountReport> reports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var index = new { month = month.ToString(), generated = generatedUtc, accounts = reports.Select(r => r.Account) };
        await WriteAsync($"{month}/index.json", JsonSerializer.Serialize(index, s_json) + "\n", "application/json", cancellationToken).ConfigureAwait(false);
        await WriteAsync($"{month}/index.html", HtmlReport.Index(month.ToString(), reports, _generated), "text/html; charset=utf-8", cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(string key, string content, string contentType, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratch);
        var local = Path.Combine(scratch, Path.GetFileName(key));
        await File.WriteAllTextAsync(local, content, cancellationToken).ConfigureAwait(false);
        await output.UploadAsync(local, key, contentType, cancellationToken).ConfigureAwait(false);
        File.Delete(local);
        _keys.Add(key);
    }
}
