namespace TrailSieve.Worker.Pipeline;

/// <summary>How reading an object ended, carried by its last <see cref="ReadChunk"/> (and then its last <see cref="FilteredChunk"/>).</summary>
internal sealed record ReadEnd(long SourceBytes, long DecodedBytes, bool IsDigest, string? SkipReason, Exception? Error)
{
    /// <summary>A digest file, recognised by its key before anything was read.</summary>
    public static ReadEnd Digest { get; } = new(0, 0, IsDigest: true, SkipReason: null, Error: null);

    /// <summary>Deliberately not processed (a digest, or an object deleted since it was announced).</summary>
    public bool IsSkipped => Error is null && (IsDigest || SkipReason is not null);
}
