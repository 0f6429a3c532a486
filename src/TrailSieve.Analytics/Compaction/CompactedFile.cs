using System.Globalization;
using System.Text.RegularExpressions;
using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Compaction;

/// <summary>
/// A Parquet file compact wrote for a partition: <c>compacted-gGGGGGG-NNNN.parquet</c> directly in the partition's
/// folder, generation G, part N (generation 0 is the older naming, <c>compacted-NNNN.parquet</c>).
/// </summary>
/// <remarks>
/// Every run writes a new generation under names no earlier file has, and deletes the earlier generations only after
/// the last new file is in place. A reader listing the folder meanwhile sees the old set whole, or both sets (the same
/// records twice, which dedup by record identity removes), or the new set; never a mix that lacks records. A crash between the
/// two steps leaves both sets until the next run, which reads both in, deduplicates, and replaces them with one.
/// </remarks>
internal sealed partial record CompactedFile(StoredObject Object, int Generation)
{
    public static string Name(int generation, int part) => string.Create(CultureInfo.InvariantCulture, $"compacted-g{generation:D6}-{part:D4}.parquet");

    /// <summary>The partition's compacted files in <paramref name="store"/>, every generation.</summary>
    public static async Task<List<CompactedFile>> ListAsync(IObjectStore store, DayPartition partition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var files = new List<CompactedFile>();
        var level = await store.ListLevelAsync(partition.HivePath, cancellationToken).ConfigureAwait(false);
        foreach (var item in level.Objects)
        {
            if (Pattern().Match(item.Key[partition.HivePath.Length..]) is { Success: true } match)
            {
                var generation = match.Groups["g"].Success ? int.Parse(match.Groups["g"].Value, CultureInfo.InvariantCulture) : 0;
                files.Add(new CompactedFile(item, generation));
            }
        }

        return files;
    }

    [GeneratedRegex(@"^compacted-(?:g(?<g>[0-9]{6})-)?[0-9]{4}\.parquet$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
