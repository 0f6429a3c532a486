namespace TrailSieve.Worker.Pipeline;

/// <summary>How reading an object ended, carried by its last <see cref="ReadChunk"/> (and then its last <see cref="FilteredChunk"/>).</summary>
/// <param name="SourceBytes">Bytes read as stored.</param>
/// <param name="DecodedBytes">Bytes after gunzip.</param>
/// <param name="IsDigest">A digest file (nothing is filtered).</param>
/// <param name="SkipReason">Why the object was deliberately not processed, if it was not.</param>
/// <param name="Error">Why reading failed, if it did.</param>
/// <param name="Version">The version of the content read (an S3 object's ETag, from its GetObject), when the source has one.</param>
internal sealed record ReadEnd(long SourceBytes, long DecodedBytes, bool IsDigest, string? SkipReason, Exception? Error, string? Version = null)
{
    /// <summary>A digest file, recognised by its key before anything was read.</summary>
    public static ReadEnd Digest { get; } = new(0, 0, IsDigest: true, SkipReason: null, Error: null);

    /// <summary>Deliberately not processed (a digest, or an object deleted since it was announced).</summary>
    public bool IsSkipped => Error is null && (IsDigest || SkipReason is not null);
}
