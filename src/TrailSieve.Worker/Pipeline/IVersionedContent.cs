namespace TrailSieve.Worker.Pipeline;

/// <summary>An object's content stream that knows which version of the object it is (S3: the GetObject response's ETag).</summary>
internal interface IVersionedContent
{
    /// <summary>The version read, or null when the store gave none.</summary>
    string? Version { get; }
}
