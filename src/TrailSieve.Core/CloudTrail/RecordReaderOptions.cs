namespace TrailSieve.Core.CloudTrail;

/// <summary>Limits of the record reader.</summary>
public sealed class RecordReaderOptions
{
    /// <summary>The default <see cref="MaxRecordBytes"/>: 64 MiB.</summary>
    public const int DefaultMaxRecordBytes = 64 * 1024 * 1024;

    /// <summary>The default <see cref="MaxDepth"/>.</summary>
    public const int DefaultMaxDepth = 256;

    /// <summary>
    /// Largest record (or skipped non-<c>Records</c> value) in bytes; the reader fails the file before buffering past it.
    /// Default 64 MiB; 1 KiB to 1 GiB.
    /// </summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    /// <summary>Deepest nesting of objects and arrays inside the document. Default 256; 8 to 4096.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>Target size of the pooled buffers records are copied into. Default 256 KiB.</summary>
    public int ChunkBytes { get; init; } = 256 * 1024;

    public static RecordReaderOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value outside its documented range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecordBytes, 1024, nameof(MaxRecordBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRecordBytes, 1 << 30, nameof(MaxRecordBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 8, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxDepth, 4096, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkBytes, 4096, nameof(ChunkBytes));
    }
}
