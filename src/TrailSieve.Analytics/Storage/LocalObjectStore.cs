using System.Runtime.CompilerServices;

namespace TrailSieve.Analytics.Storage;

/// <summary>A local folder as an <see cref="IObjectStore"/>; writes go to a temporary file and are renamed into place.</summary>
public sealed class LocalObjectStore(string root) : IObjectStore
{
    private readonly string _root = Path.GetFullPath(root);

    public string Root => _root;

    public bool IsLocal => true;

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = Path.Combine(_root, prefix);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var files = Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true })
            .Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var key in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new StoredObject(key, new FileInfo(LocalPath(key)).Length);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public string LocalPath(string key) => Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));

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
}
