namespace TrailSieve.Analytics.Engine;

/// <summary>
/// The files under the data folders that the <c>cloudtrail</c> view reads: CloudTrail-shaped JSON
/// (<c>*.json.gz</c>, <c>*.json</c>; mirror or batch output, any layout) and Parquet (<c>*.parquet</c>, from compact).
/// CloudTrail digest files (<c>*_CloudTrail-Digest_*</c>) carry no records and are left out.
/// </summary>
public sealed record DataFiles(IReadOnlyList<string> Json, IReadOnlyList<string> Parquet, long LargestJsonBytes = 0)
{
    public static DataFiles Empty { get; } = new([], []);

    /// <summary>
    /// The largest JSON object the reader must accept (a CloudTrail file is one object): 16 times the largest
    /// file (CloudTrail gzip shrinks 8-15 times), rounded up to a power of two, from 16 MiB to 1 GiB. DuckDB sizes its
    /// read buffers by it, so a fixed large value would cost memory on every file.
    /// </summary>
    public long MaximumObjectBytes =>
        Math.Clamp((long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(LargestJsonBytes, 1) * 16), 16L << 20, 1L << 30);

    public int Count => Json.Count + Parquet.Count;

    /// <summary>Lists the data files under <paramref name="paths"/> (folders searched recursively, or single files), sorted.</summary>
    /// <exception cref="FileNotFoundException">A path that is neither a file nor a folder.</exception>
    public static DataFiles Find(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var json = new SortedSet<string>(StringComparer.Ordinal);
        var parquet = new SortedSet<string>(StringComparer.Ordinal);
        long largest = 0;
        foreach (var path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false })
                : File.Exists(path) ? [path] : throw new FileNotFoundException($"{path}: no such file or folder", path);
            foreach (var file in files)
            {
                var full = Path.GetFullPath(file);
                switch (Kind(full))
                {
                    case DataFileKind.Json:
                        json.Add(full);
                        largest = Math.Max(largest, new FileInfo(full).Length);
                        break;
                    case DataFileKind.Parquet:
                        parquet.Add(full);
                        break;
                }
            }
        }

        return new DataFiles([.. json], [.. parquet], largest);
    }

    /// <summary>What a file is, by its name.</summary>
    public static DataFileKind Kind(string path)
    {
        var name = Path.GetFileName(path);
        if (name.Contains("CloudTrail-Digest", StringComparison.Ordinal) || name.StartsWith('.'))
        {
            return DataFileKind.Other;
        }

        if (name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return DataFileKind.Parquet;
        }

        return name.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? DataFileKind.Json
            : DataFileKind.Other;
    }
}
