using TrailSieve.Analytics.Compaction;
using TrailSieve.Analytics.Engine;

namespace TrailSieve.Analytics.Storage;

/// <summary>
/// Makes a store's data files readable by the engine: local files in place; remote ones streamed into a spool folder
/// under their own relative keys (so Hive partition paths survive). Objects whose key places them in a day partition
/// outside <c>includeDay</c> are not fetched at all.
/// </summary>
public static class DataLocalizer
{
    public static async Task<DataFiles> LocalizeAsync(IObjectStore store, Func<DateOnly, bool> includeDay, string spool, string? exclude, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(includeDay);
        var json = new List<string>();
        var parquet = new List<string>();
        long largest = 0;
        await foreach (var item in store.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            var kind = DataFiles.Kind(item.Key);
            if (kind == DataFileKind.Other || (exclude is not null && item.Key.StartsWith(exclude, StringComparison.Ordinal))
                || (DayPartition.FromKey(item.Key) is { } partition && !includeDay(partition.Day)))
            {
                continue;
            }

            var path = store.IsLocal ? store.LocalPath(item.Key) : Path.Combine(spool, item.Key.Replace('/', Path.DirectorySeparatorChar));
            if (!store.IsLocal)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await store.DownloadAsync(item.Key, path, cancellationToken).ConfigureAwait(false);
            }

            if (kind == DataFileKind.Json)
            {
                json.Add(path);
                largest = Math.Max(largest, item.Size);
            }
            else
            {
                parquet.Add(path);
            }
        }

        return new DataFiles(json, parquet, largest);
    }

    /// <summary>Findings files (<c>*.jsonl.gz</c>, <c>*.jsonl</c>) of a store, localized; null when the store has none at all.</summary>
    public static async Task<List<string>?> LocalizeFindingsAsync(IObjectStore store, string spool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var files = new List<string>();
        var any = false;
        await foreach (var item in store.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            any = true;
            if (!item.Key.EndsWith(".jsonl.gz", StringComparison.Ordinal) && !item.Key.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                continue;
            }

            var path = store.IsLocal ? store.LocalPath(item.Key) : Path.Combine(spool, item.Key.Replace('/', Path.DirectorySeparatorChar));
            if (!store.IsLocal)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await store.DownloadAsync(item.Key, path, cancellationToken).ConfigureAwait(false);
            }

            files.Add(path);
        }

        return any ? files : null;
    }
}
