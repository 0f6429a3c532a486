namespace TrailSieve.Analytics.Storage;

/// <summary>
/// A folder or an S3 prefix as the analytics commands see it: keys relative to the root, '/' separated. The local
/// implementation is here; the S3 one lives with the AWS SDK in the Worker, and turns SDK failures into
/// <see cref="StoreException"/>s that name the object.
/// </summary>
public interface IObjectStore
{
    /// <summary>Where the store is, for messages (a folder or <c>s3://bucket/prefix/</c>).</summary>
    string Root { get; }

    /// <summary>True when keys are local files that the engine can read in place (no spool needed).</summary>
    bool IsLocal { get; }

    /// <summary>Every object under <paramref name="prefix"/> (relative to the root; empty for all), in key order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// One level under <paramref name="prefix"/> (empty or ending with '/'): its objects and sub-folders, so a caller
    /// that knows the layout walks only the folders it needs (S3: a delimited listing).
    /// </summary>
    Task<StoreLevel> ListLevelAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The local path of a key (local stores only).</summary>
    string LocalPath(string key);

    /// <summary>Copies an object to a local file, streaming.</summary>
    Task DownloadAsync(string key, string localPath, CancellationToken cancellationToken);

    /// <summary>Stores a local file under <paramref name="key"/>, replacing what is there; visible only once complete.</summary>
    Task UploadAsync(string localPath, string key, string contentType, CancellationToken cancellationToken);

    /// <summary>Deletes objects; missing ones are not an error.</summary>
    Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);
}
