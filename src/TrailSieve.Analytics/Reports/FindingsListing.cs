using System.Globalization;
using System.Text.RegularExpressions;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Reports;

/// <summary>
/// The findings objects (<c>*.jsonl.gz</c>, <c>*.jsonl</c>) a month's report reads. In a bucket they are partitioned by
/// the UTC day of the records' eventTime (<c>yyyy/MM/dd/findings-*.jsonl.gz</c>): only the month's folder is listed,
/// and a day folder outside the month is skipped wherever it sits. Files with no day in their key (a local
/// <c>--alerts</c> folder holds them flat) are all read; the eventTime condition picks the month's lines.
/// </summary>
internal static partial class FindingsListing
{
    /// <summary>The month's findings objects; null when the store holds nothing at all (there is no findings prefix).</summary>
    public static async Task<List<StoredObject>?> ListAsync(IObjectStore store, ReportMonth month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var top = await store.ListLevelAsync(string.Empty, cancellationToken).ConfigureAwait(false);
        if (top.Objects.Count == 0 && top.Folders.Count == 0)
        {
            return null;
        }

        var chosen = top.Objects.Where(o => IsFindings(o, month)).ToList();
        foreach (var folder in top.Folders)
        {
            var prefix = folder;
            if (Year().IsMatch(folder))
            {
                if (folder != string.Create(CultureInfo.InvariantCulture, $"{month.Year:D4}/"))
                {
                    continue; // another year's findings
                }

                prefix = string.Create(CultureInfo.InvariantCulture, $"{folder}{month.Month:D2}/");
            }

            await foreach (var item in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (IsFindings(item, month))
                {
                    chosen.Add(item);
                }
            }
        }

        return chosen;
    }

    private static bool IsFindings(StoredObject item, ReportMonth month)
    {
        if (!item.Key.EndsWith(".jsonl.gz", StringComparison.Ordinal) && !item.Key.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return false;
        }

        var day = Day().Match(item.Key);
        return !day.Success
            || (int.Parse(day.Groups["y"].Value, CultureInfo.InvariantCulture) == month.Year && int.Parse(day.Groups["m"].Value, CultureInfo.InvariantCulture) == month.Month);
    }

    [GeneratedRegex("^[0-9]{4}/$", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex("(?:^|/)(?<y>[0-9]{4})/(?<m>[0-9]{2})/[0-9]{2}/", RegexOptions.CultureInvariant)]
    private static partial Regex Day();
}
