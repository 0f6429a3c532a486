using System.Globalization;

namespace TrailSieve.Core.Layout;

/// <summary>
/// The name CloudTrail gives a log file, <c>&lt;account&gt;_CloudTrail_&lt;region&gt;_&lt;yyyyMMddTHHmmZ&gt;_&lt;id&gt;.json.gz</c>:
/// the timestamp says when CloudTrail delivered it, so ordering files by it orders a trail by time across accounts
/// and regions, which the key layout (account, then region, then day) does not.
/// </summary>
public static class LogFileName
{
    private const string TimestampFormat = "yyyyMMdd'T'HHmm'Z'";

    /// <summary>
    /// The delivery timestamp of a CloudTrail log file name (a path is fine: its last segment is read); false for any
    /// other name (a digest, an Insights file, a file renamed by hand).
    /// </summary>
    public static bool TryParseTime(string path, out DateTimeOffset time)
    {
        time = default;
        var name = Path.GetFileName(path.AsSpan());
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^3];
        }

        if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        name = name[..^5];
        Span<Range> parts = stackalloc Range[6];
        if (name.Split(parts, '_') != 5)
        {
            return false;
        }

        return CloudTrailLayout.IsAccountId(name[parts[0]])
            && name[parts[1]].SequenceEqual(CloudTrailLayout.LogFolder)
            && !name[parts[2]].IsEmpty
            && !name[parts[4]].IsEmpty
            && DateTimeOffset.TryParseExact(name[parts[3]], TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
