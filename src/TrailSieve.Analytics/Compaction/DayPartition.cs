using System.Globalization;
using System.Text.RegularExpressions;

namespace TrailSieve.Analytics.Compaction;

/// <summary>
/// One account, region and day: the unit compact merges. Parsed from an object key in either output layout, the
/// Hive one (<c>account=/region=/year=/month=/day=/</c>) or CloudTrail's (<c>AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/</c>).
/// </summary>
public sealed partial record DayPartition(string Account, string Region, DateOnly Day)
{
    /// <summary>The partition's folder in the Hive layout, relative, with a trailing '/'.</summary>
    public string HivePath => string.Create(
        CultureInfo.InvariantCulture,
        $"account={Account}/region={Region}/year={Day.Year:D4}/month={Day.Month:D2}/day={Day.Day:D2}/");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Account}/{Region}/{Day:yyyy-MM-dd}");

    /// <summary>The partition of a key, or null when the key is in neither layout.</summary>
    public static DayPartition? FromKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var match = Hive().Match(key);
        if (!match.Success)
        {
            match = CloudTrail().Match(key);
        }

        if (!match.Success
            || !int.TryParse(match.Groups["y"].Value, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(match.Groups["m"].Value, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(match.Groups["d"].Value, CultureInfo.InvariantCulture, out var day)
            || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        return new DayPartition(match.Groups["a"].Value, match.Groups["r"].Value, new DateOnly(year, month, day));
    }

    [GeneratedRegex(@"(?:^|/)account=(?<a>[0-9]{12})/region=(?<r>[a-z0-9-]+)/year=(?<y>[0-9]{4})/month=(?<m>[0-9]{2})/day=(?<d>[0-9]{2})/", RegexOptions.CultureInvariant)]
    private static partial Regex Hive();

    [GeneratedRegex(@"(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?(?<a>[0-9]{12})/CloudTrail/(?<r>[a-z0-9-]+)/(?<y>[0-9]{4})/(?<m>[0-9]{2})/(?<d>[0-9]{2})/", RegexOptions.CultureInvariant)]
    private static partial Regex CloudTrail();
}
