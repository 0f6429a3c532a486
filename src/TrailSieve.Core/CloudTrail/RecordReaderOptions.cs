using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Core.CloudTrail;

/// <summary>Limits of the record reader.</summary>
public sealed class RecordReaderOptions
{
    /// <summary>The default <see cref="MaxRecordBytes"/>: 64 MiB.</summary>
    public const int DefaultMaxRecordBytes = 64 * 1024 * 1024;

    /// <summary>The default <see cref="MaxDepth"/>.</summary>
    public const int DefaultMaxDepth = 256;

    /// <summary>
    /// Largest record (or skipped non-<c>Records</c> value) in bytes; the reader fails the object before buffering past it.
    /// Default 64 MiB; 1 KiB to 1 GiB.
    /// </summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>Deepest nesting of objects and arrays inside the document. Default 256; 8 to 4096.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>Target size of the pooled buffers records are copied into. Default 256 KiB.</summary>
    public int ChunkBytes { get; init; } = 256 * 1024;

    /// <summary>The codec that gunzips gzip content. Default zlib; the worker sets <c>Pipeline:Compression</c>'s.</summary>
    public GzipCodec Codec { get; init; } = GzipCodec.Zlib;

    /// <summary>
    /// Find record ends the scalar way only (<see cref="RecordBoundaryScanner"/>'s reference), not 64 bytes at a time:
    /// what the tests compare the block scan with. Off by default.
    /// </summary>
    internal bool ScalarBoundaryScan { get; init; }

    public static RecordReaderOptions Default { get; } = new();
}
