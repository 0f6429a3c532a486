using System.Globalization;

namespace TrailSieve.Analytics.Storage;

/// <summary>
/// The local folder remote objects are downloaded to before the engine reads them, with a size limit: a unit of work
/// (a partition, an account's objects outside a partition, a month's findings) is fetched only if all of it fits next
/// to what is already held, and is released (deleted) when done. Objects of a local store are read in place and cost
/// nothing. Error messages name the spool copy; <see cref="Rename"/> puts the object's address back.
/// </summary>
/// <remarks>
/// The limit counts downloaded bytes. The folder also needs room for what is made from them (compact's Parquet,
/// DuckDB's spill files, the report pages), so give it some headroom above the limit.
/// </remarks>
internal sealed class Spool(string directory, long limitBytes) : IDisposable
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>The folder (created on first download; removed, with everything in it, on dispose).</summary>
    public string Directory { get; } = directory;

    public long LimitBytes { get; } = limitBytes;

    /// <summary>Bytes downloaded and not yet released.</summary>
    public long UsedBytes { get; private set; }

    /// <summary>
    /// Local paths of <paramref name="objects"/>, in their order: in place for a local store, downloaded otherwise.
    /// </summary>
    /// <param name="store">The store the objects are in.</param>
    /// <param name="objects">The objects, with their listed sizes.</param>
    /// <param name="unit">What they are, for the error message: "partition 111122223333/eu-west-1/2026-10-01".</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <exception cref="SpoolLimitException">They do not fit under the limit; nothing was downloaded.</exception>
    public async Task<IReadOnlyList<string>> FetchAsync(IObjectStore store, IReadOnlyList<StoredObject> objects, string unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(objects);
        if (store.IsLocal)
        {
            return [.. objects.Select(o => store.LocalPath(o.Key))];
        }

        EnsureRoom(objects.Count, objects.Sum(o => o.Size), unit);
        var folder = Path.Combine(Directory, (_next++).ToString("D6", CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(folder);
        var paths = new List<string>(objects.Count);
        foreach (var item in objects)
        {
            // The file keeps the key's name (its extension tells the engine what it is) after a sequence number.
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{paths.Count:D6}-{Path.GetFileName(item.Key)}"));
            try
            {
                await store.DownloadAsync(item.Key, path, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Release(paths);
                File.Delete(path);
                throw;
            }

            var size = new FileInfo(path).Length;
            _names[path] = store.Root + item.Key;
            _sizes[path] = size;
            UsedBytes += size;
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Checks that <paramref name="bytes"/> more fit next to what is held, before a unit's downloads start.</summary>
    /// <exception cref="SpoolLimitException">They do not; the message names <paramref name="unit"/>.</exception>
    public void EnsureRoom(int objects, long bytes, string unit)
    {
        if (UsedBytes + bytes > LimitBytes)
        {
            throw new SpoolLimitException(string.Create(
                CultureInfo.InvariantCulture,
                $"{unit}: {objects} objects, {Megabytes(bytes)} MB, do not fit the spool limit of {Megabytes(LimitBytes)} MB{(UsedBytes > 0 ? $" ({Megabytes(UsedBytes)} MB already held)" : string.Empty)}; raise --spool-limit (and the disk behind --spool)"));
        }
    }

    /// <summary>Deletes downloaded files and gives their room back; paths of a local store are left alone.</summary>
    public void Release(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (_sizes.Remove(path, out var size))
            {
                File.Delete(path);
                _names.Remove(path);
                UsedBytes -= size;
            }
        }
    }

    /// <summary>A message with every spool path in it replaced by the address of the object it is a copy of.</summary>
    public string Rename(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _names.Aggregate(message, (text, pair) => text.Replace(pair.Key, pair.Value, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);
}
