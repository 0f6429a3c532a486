using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Tests.TestSupport;

/// <summary>A folder that pretends to be remote (like S3): the engine cannot read it in place, so callers must spool.</summary>
public sealed class RemoteStore(string root) : IObjectStore
{
    private readonly LocalObjectStore _inner = new(root);

    public string Root => "remote://" + _inner.Root + "/";

    public bool IsLocal => false;

    public int Downloads { get; private set; }

    public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken) => _inner.ListAsync(prefix, cancellationToken);

    public string LocalPath(string key) => throw new NotSupportedException("remote");

    public Task DownloadAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        Downloads++;
        return _inner.DownloadAsync(key, localPath, cancellationToken);
    }

    public Task UploadAsync(string localPath, string key, string contentType, CancellationToken cancellationToken) => _inner.UploadAsync(localPath, key, contentType, cancellationToken);

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => _inner.DeleteAsync(keys, cancellationToken);
}
