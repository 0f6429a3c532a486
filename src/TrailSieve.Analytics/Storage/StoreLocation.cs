namespace TrailSieve.Analytics.Storage;

/// <summary>Parses <c>s3://bucket/prefix</c>; anything else is a local folder.</summary>
public static class StoreLocation
{
    public static bool TryParseS3(string location, out string bucket, out string prefix)
    {
        ArgumentNullException.ThrowIfNull(location);
        bucket = prefix = string.Empty;
        if (!location.StartsWith("s3://", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = location["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        bucket = slash < 0 ? rest : rest[..slash];
        prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            prefix += "/";
        }

        return bucket.Length > 0;
    }

    /// <summary>
    /// Where <paramref name="inner"/> sits under <paramref name="outer"/>: a key prefix relative to it, ending with '/'
    /// (empty when both are the same place); null when it is not under it (another bucket, folder or prefix).
    /// </summary>
    public static string? RelativePrefix(string outer, string inner)
    {
        var (root, candidate) = (Normalise(outer), Normalise(inner));
        return candidate.StartsWith(root, StringComparison.Ordinal) ? candidate[root.Length..] : null;
    }

    /// <summary>True when one location is the other or lies inside it.</summary>
    public static bool Overlap(string first, string second) => RelativePrefix(first, second) is not null || RelativePrefix(second, first) is not null;

    private static string Normalise(string location) =>
        TryParseS3(location, out var bucket, out var prefix)
            ? $"s3://{bucket}/{prefix}"
            : Path.GetFullPath(location).Replace('\\', '/').TrimEnd('/') + "/";
}
