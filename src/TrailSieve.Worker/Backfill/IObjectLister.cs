namespace TrailSieve.Worker.Backfill;

/// <summary>One object a listing returned.</summary>
internal readonly record struct ListedObject(string Key, long Size);

/// <summary>The two listings backfill needs, behind an interface so discovery is tested without S3.</summary>
internal interface IObjectLister
{
    /// <summary>The folders directly under <paramref name="prefix"/> (a delimiter listing's common prefixes), each ending in '/'.</summary>
    IAsyncEnumerable<string> ListFoldersAsync(string bucket, string prefix, CancellationToken cancellationToken);

    /// <summary>Every object under <paramref name="prefix"/>, page by page.</summary>
    IAsyncEnumerable<ListedObject> ListObjectsAsync(string bucket, string prefix, CancellationToken cancellationToken);
}
