using System.Globalization;

namespace TrailSieve.Analytics.Reports;

/// <summary>The outcome of a report run.</summary>
/// <param name="Reports">One per account, in account order.</param>
/// <param name="DataFiles">Data objects read.</param>
/// <param name="FindingsFiles">Findings objects read, or null when there is no findings prefix.</param>
/// <param name="Keys">Keys written to the output.</param>
/// <param name="Output">Where they were written (the output store's root).</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record ReportSummary(IReadOnlyList<AccountReport> Reports, int DataFiles, int? FindingsFiles, IReadOnlyList<string> Keys, string Output, TimeSpan Elapsed)
{
    public string ToString(ReportMonth month) => string.Create(
        CultureInfo.InvariantCulture,
        $"report {month}: accounts {Reports.Count}, events {Reports.Sum(r => r.TotalEvents)}, data files {DataFiles}, findings {(FindingsFiles is null ? "none (no findings prefix)" : $"{FindingsFiles} files")}, wrote {Keys.Count} files to {Output.TrimEnd('/')}/{month}/, {Elapsed.TotalSeconds:F2} s");
}
