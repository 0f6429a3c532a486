using System.Globalization;

namespace TrailSieve.Core.Layout;

/// <summary>Where a listing prefix sits in CloudTrail's key layout.</summary>
public enum LayoutLevel
{
    /// <summary>Above the accounts: the bucket root, a trail prefix, <c>AWSLogs/</c> or an organisation folder.</summary>
    AboveAccounts,

    /// <summary>An account's folder: <c>.../AWSLogs/[o-org/]&lt;account&gt;/</c> (or its <c>CloudTrail/</c>).</summary>
    Account,

    /// <summary>One region of one account: <c>.../&lt;account&gt;/CloudTrail/&lt;region&gt;/</c>.</summary>
    Region,

    /// <summary>One year of one region: <c>.../&lt;region&gt;/yyyy/</c>.</summary>
    Year,

    /// <summary>One month of one region: <c>.../&lt;region&gt;/yyyy/MM/</c>.</summary>
    Month,

    /// <summary>One day of one region: <c>.../&lt;region&gt;/yyyy/MM/dd/</c>.</summary>
    Day,
}

/// <summary>What a prefix tells about its position in the layout.</summary>
/// <param name="Level">The level the prefix ends at.</param>
/// <param name="Prefix">The normalised prefix (empty or ending in '/').</param>
/// <param name="Account">The account id when the prefix names one.</param>
/// <param name="Region">The region when the prefix names one.</param>
/// <param name="AccountPrefix">The account's folder (ending in '/') when the prefix names an account.</param>
/// <param name="From">The first day a year, month or day prefix covers (UTC).</param>
/// <param name="To">The day after the last one a year, month or day prefix covers.</param>
public sealed record LayoutPosition(LayoutLevel Level, string Prefix, string? Account, string? Region, string? AccountPrefix, DateOnly? From = null, DateOnly? To = null)
{
    /// <summary>The region's folder (<c>.../&lt;account&gt;/CloudTrail/&lt;region&gt;/</c>) when the prefix is at a region or below.</summary>
    public string? RegionPrefix => Region is null || AccountPrefix is null ? null : CloudTrailLayout.RegionPrefix(AccountPrefix, Region);
}

/// <summary>One day of one region of one account: the unit backfill lists, processes and checkpoints.</summary>
/// <param name="Account">The 12-digit account id.</param>
/// <param name="Region">The region name.</param>
/// <param name="Day">The UTC day.</param>
/// <param name="Prefix">The day's folder: <c>.../&lt;account&gt;/CloudTrail/&lt;region&gt;/yyyy/MM/dd/</c>.</param>
public sealed record TrailPartition(string Account, string Region, DateOnly Day, string Prefix)
{
    /// <summary>A stable id for checkpoints: <c>account/region/yyyy-MM-dd</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Account}/{Region}/{Day:yyyy-MM-dd}");
}

/// <summary>
/// CloudTrail's S3 key layout, <c>[trail prefix/]AWSLogs/[o-org/]&lt;account&gt;/CloudTrail/&lt;region&gt;/yyyy/MM/dd/&lt;file&gt;</c>,
/// as pure functions: backfill uses them to walk the date partitions instead of one flat listing of the bucket.
/// </summary>
public static class CloudTrailLayout
{
    /// <summary>The folder CloudTrail writes log files into (digests go to <c>CloudTrail-Digest/</c>, a sibling).</summary>
    public const string LogFolder = "CloudTrail";

    /// <summary>The folder CloudTrail writes digest files into, beside <see cref="LogFolder"/>.</summary>
    public const string DigestFolder = "CloudTrail-Digest";

    /// <summary>
    /// True for the key of a CloudTrail digest file, by CloudTrail's layout: a <c>CloudTrail-Digest</c> folder on the
    /// way (<c>.../AWSLogs/[o-org/]&lt;account&gt;/CloudTrail-Digest/&lt;region&gt;/yyyy/MM/dd/</c>) and a file named
    /// <c>&lt;account&gt;_CloudTrail-Digest_...</c>. Not a substring anywhere in the key: a trail prefix or a file that
    /// merely mentions the word is a log file like any other (a digest outside the layout is still recognised by its
    /// content when it is read).
    /// </summary>
    public static bool IsDigestKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        var name = key.AsSpan(slash + 1);
        var underscore = name.IndexOf('_');
        if (underscore < 0 || !IsAccountId(name[..underscore]) || !name[(underscore + 1)..].StartsWith(DigestFolder + "_", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var segment in key.AsSpan(0, slash).Split('/'))
        {
            if (key.AsSpan(0, slash)[segment].SequenceEqual(DigestFolder))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a 12-digit AWS account id.</summary>
    public static bool IsAccountId(ReadOnlySpan<char> segment) =>
        segment.Length == 12 && !segment.ContainsAnyExceptInRange('0', '9');

    /// <summary>True for an AWS Organizations id folder (<c>o-</c> followed by 10 to 32 lowercase letters or digits).</summary>
    public static bool IsOrganizationId(ReadOnlySpan<char> segment)
    {
        if (segment.Length < 12 || segment.Length > 34 || !segment.StartsWith("o-", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in segment[2..])
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiLetterLower(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for a region name such as <c>us-east-1</c>, <c>ap-southeast-3</c> or <c>us-gov-west-1</c>.</summary>
    public static bool IsRegion(ReadOnlySpan<char> segment)
    {
        var lastDash = segment.LastIndexOf('-');
        if (segment.Length < 9 || lastDash <= 0 || lastDash == segment.Length - 1 || segment[..lastDash].IndexOf('-') <= 0)
        {
            return false;
        }

        foreach (var c in segment[..lastDash])
        {
            if (!char.IsAsciiLetterLower(c) && c != '-')
            {
                return false;
            }
        }

        return !segment[(lastDash + 1)..].ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>Adds the trailing '/' a folder prefix needs; the empty prefix (the bucket root) stays empty.</summary>
    public static string NormalisePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return string.Empty;
        }

        var trimmed = prefix.TrimStart('/');
        return trimmed.Length == 0 || trimmed.EndsWith('/') ? trimmed : trimmed + "/";
    }

    /// <summary>
    /// Reads where <paramref name="prefix"/> sits: above the accounts, at one account, or at one region, year, month or
    /// day of it. A prefix that leaves the layout below an account (<c>CloudTrail-Digest/</c>, month 13) is above the
    /// accounts, where a walk finds nothing.
    /// </summary>
    public static LayoutPosition Locate(string? prefix)
    {
        var normalised = NormalisePrefix(prefix);
        var segments = normalised.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var above = new LayoutPosition(LayoutLevel.AboveAccounts, normalised, null, null, null);

        // Look for "<account>[/CloudTrail[/<region>[/yyyy[/MM[/dd]]]]]" at the end, with the account right after
        // AWSLogs/ or an org id, so a trail prefix that happens to be 12 digits is not taken for an account.
        for (var i = segments.Length - 1; i >= 0 && i >= segments.Length - 6; i--)
        {
            if (!IsAccountId(segments[i]) || (i > 0 && segments[i - 1] != "AWSLogs" && !IsOrganizationId(segments[i - 1])))
            {
                continue;
            }

            var rest = segments.Length - i - 1;
            if (rest >= 1 && segments[i + 1] != LogFolder)
            {
                continue;
            }

            var account = segments[i];
            var accountPrefix = string.Join('/', segments[..(i + 1)]) + "/";
            if (rest <= 1)
            {
                return new LayoutPosition(LayoutLevel.Account, normalised, account, null, accountPrefix);
            }

            if (!IsRegion(segments[i + 2]))
            {
                return above;
            }

            var region = segments[i + 2];
            if (rest == 2)
            {
                return new LayoutPosition(LayoutLevel.Region, normalised, account, region, accountPrefix);
            }

            return LocateDate(segments[(i + 3)..]) is { } date
                ? new LayoutPosition(date.Level, normalised, account, region, accountPrefix, date.From, date.To)
                : above;
        }

        return above;
    }

    /// <summary>The days a <c>yyyy[/MM[/dd]]</c> tail covers, or null when it is not a date.</summary>
    private static (LayoutLevel Level, DateOnly From, DateOnly To)? LocateDate(string[] parts)
    {
        if (!TryParseDatePart(parts[0], 4, 2013, 9999, out var year))
        {
            return null;
        }

        if (parts.Length == 1)
        {
            return (LayoutLevel.Year, new DateOnly(year, 1, 1), new DateOnly(year, 1, 1).AddYears(1));
        }

        if (!TryParseDatePart(parts[1], 2, 1, 12, out var month))
        {
            return null;
        }

        if (parts.Length == 2)
        {
            return (LayoutLevel.Month, new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1));
        }

        return TryParseDatePart(parts[2], 2, 1, DateTime.DaysInMonth(year, month), out var day)
            ? (LayoutLevel.Day, new DateOnly(year, month, day), new DateOnly(year, month, day).AddDays(1))
            : null;
    }

    /// <summary>The folder holding an account's regions: <c>&lt;accountPrefix&gt;CloudTrail/</c>.</summary>
    public static string RegionsPrefix(string accountPrefix) => accountPrefix + LogFolder + "/";

    /// <summary>The folder of one region: <c>&lt;accountPrefix&gt;CloudTrail/&lt;region&gt;/</c>.</summary>
    public static string RegionPrefix(string accountPrefix, string region) => RegionsPrefix(accountPrefix) + region + "/";

    /// <summary>The folder of one day: <c>&lt;regionPrefix&gt;yyyy/MM/dd/</c>.</summary>
    public static string DayPrefix(string regionPrefix, DateOnly day) =>
        regionPrefix + day.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture) + "/";

    /// <summary>Every day in <c>[from, to)</c>.</summary>
    public static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var day = from; day < to; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>
    /// The last segment of a listed common prefix (<c>a/b/c/</c> gives <c>c</c>), which is how a delimiter listing names
    /// the folders under a prefix.
    /// </summary>
    public static string LastSegment(string commonPrefix)
    {
        var trimmed = commonPrefix.AsSpan().TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return trimmed[(slash + 1)..].ToString();
    }

    /// <summary>Parses a year/month/day folder name ("2026", "01", "07") within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static bool TryParseDatePart(string segment, int digits, int min, int max, out int value)
    {
        value = 0;
        return segment.Length == digits
            && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }
}
