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
}
