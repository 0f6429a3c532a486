using System.IO.Compression;
using Parquet;
using Parquet.Serialization;
using TrailSieve.Core.Ocsf.Model;

namespace TrailSieve.Core.Ocsf;

/// <summary>
/// Writes OCSF events as one zstd-compressed Parquet file with the fixed schema of <see cref="OcsfEvent"/> (nested
/// structs for metadata, actor, api, src_endpoint, cloud, ...; a map for unmapped), from memory, a row group at a time.
/// </summary>
public static class OcsfParquet
{
    private static readonly ParquetOptions s_options = Options(append: false);
    private static readonly ParquetOptions s_append = Options(append: true);

    /// <summary>
    /// Writes <paramref name="events"/> to <paramref name="output"/> as one row group: a new file, or, with
    /// <paramref name="append"/>, one more row group of the file already in <paramref name="output"/> (which must then
    /// be readable and seekable, its footer being rewritten).
    /// </summary>
    public static async Task WriteAsync(IReadOnlyCollection<OcsfEvent> events, Stream output, CancellationToken cancellationToken, bool append = false)
    {
        ArgumentNullException.ThrowIfNull(events);
        await ParquetSerializer.SerializeAsync(events, output, append ? s_append : s_options, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // Parquet.Net's stream pool keeps every buffer it ever freed unless told a limit ("indistinguishable from a
    // memory leak", its documentation says): these bound what it keeps for reuse.
    private static ParquetOptions Options(bool append) => new()
    {
        CompressionMethod = CompressionMethod.Zstd,
        CompressionLevel = CompressionLevel.Fastest,
        Append = append,
        MaximumSmallPoolFreeBytes = 8 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 32 * 1024 * 1024,
    };
}
