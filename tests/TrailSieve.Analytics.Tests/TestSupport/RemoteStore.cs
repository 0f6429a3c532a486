using TrailSieve.Analytics.Storage;

namespace TrailSieve.Analytics.Tests.TestSupport;

/// <summary>
/// A folder that pretends to be remote (like S3): the engine cannot read it in place, so callers must spool. Faults can
/// be injected per call, and what callers do is counted.
/// </summary>
public sealed class RemoteStore(string root) : IObjectStore
{
    private readonly LocalObjectStore _inner = new(root);

    public string Root => "remote://" + _inner.Root + "/";

    public bool IsLocal => false;

    public int Downloads { get; private set; }

    /// <summary>Keys listed whole (<see cref="ListAsync"/>), and prefixes listed a level at a time.</summary>
    public List<string> Listed { get; } = [];

    public List<string> LevelsListed { get; } = [];

    /// <summary>Called with each key before it is downloaded; an exception returned is thrown instead.</summary>
    public Func<string, Exception?>? DownloadFault { get; set; }

    /// <summary>Called with each key before it is uploaded; an exception returned is thrown instead.</summary>
    public Func<string, Exception?>? UploadFault { get; set; }

    /// <summary>Called with the keys before they are deleted; an exception returned is thrown instead.</summary>
    public Func<IReadOnlyList<string>, Exception?>? DeleteFault { get; set; }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _inner.ListAsync(prefix, cancellationToken))
        {
            Listed.Add(item.Key);
            yield return item;
        }
    }

    public Task<StoreLevel> ListLevelAsync(string prefix, CancellationToken cancellationToken)
    {
        LevelsListed.Add(prefix);
        return _inner.ListLevelAsync(prefix, cancellationToken);
    }

    public string LocalPath(string key) => throw new NotSupportedException("remote");

    public Task DownloadAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        if (DownloadFault?.Invoke(key) is { } fault)
        {
            throw fault;
        }

        Downloads++;
        return _inner.DownloadAsync(key, localPath, cancellationToken);
    }

    public Task UploadAsync(string localPath, string key, string contentType, CancellationToken cancellationToken) =>
        UploadFault?.Invoke(key) is { } fault ? throw fault : _inner.UploadAsync(localPath, key, contentType, cancellationToken);

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        DeleteFault?.Invoke(keys) is { } fault ? throw fault : _inner.DeleteAsync(keys, cancellationToken);
}
