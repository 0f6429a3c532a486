using System.Runtime.CompilerServices;

namespace TrailSieve.Analytics.Storage;

/// <summary>
/// A local folder as an <see cref="IObjectStore"/>; writes go to a temporary file and are renamed into place. A key
/// that would resolve outside the folder (<c>..</c>, an absolute path) is refused, whoever made it.
/// </summary>
public sealed class LocalObjectStore(string root) : IObjectStore
{
    private readonly string _root = Path.GetFullPath(root);

    public string Root => _root;

    public bool IsLocal => true;

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = LocalPath(prefix);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var files = Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true })
            .Select(Key)
            .Order(StringComparer.Ordinal);
        foreach (var key in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new StoredObject(key, new FileInfo(LocalPath(key)).Length);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<StoreLevel> ListLevelAsync(string prefix, CancellationToken cancellationToken)
    {
        var start = LocalPath(prefix);
        if (!Directory.Exists(start))
        {
            return Task.FromResult(new StoreLevel([], []));
        }

        var objects = Directory.EnumerateFiles(start).Select(Key).Order(StringComparer.Ordinal).Select(k => new StoredObject(k, new FileInfo(LocalPath(k)).Length));
        var folders = Directory.EnumerateDirectories(start).Select(d => Key(d) + "/").Order(StringComparer.Ordinal);
        return Task.FromResult(new StoreLevel([.. objects], [.. folders]));
    }

    /// <exception cref="ArgumentException">The key resolves outside the store's folder.</exception>
    public string LocalPath(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));
        var inside = path.Length == _root.Length
            ? path == _root
            : path.StartsWith(_root, StringComparison.Ordinal) && (path[_root.Length] == Path.DirectorySeparatorChar || _root.EndsWith(Path.DirectorySeparatorChar));
        if (!inside)
        {
            throw new ArgumentException($"key '{key}' resolves to {path}, outside the store {_root}", nameof(key));
        }

        return path;
    }

    public Task DownloadAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        File.Copy(LocalPath(key), localPath, overwrite: true);
        return Task.CompletedTask;
    }

    public Task UploadAsync(string localPath, string key, string contentType, CancellationToken cancellationToken)
    {
        var target = LocalPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".tmp";
        File.Copy(localPath, temporary, overwrite: true);
        File.Move(temporary, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            File.Delete(LocalPath(key));
        }

        return Task.CompletedTask;
    }

    private string Key(string path) => Path.GetRelativePath(_root, path).Replace('\\', '/');
}
