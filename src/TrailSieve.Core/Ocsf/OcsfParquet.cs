using System.IO.Compression;
using Parquet;
using Parquet.Serialization;
using TrailSieve.Core.Ocsf.Model;

namespace TrailSieve.Core.Ocsf;

/// <summary>
/// Writes OCSF events as one zstd-compressed Parquet file with the fixed schema of <see cref="OcsfEvent"/> (nested
/// structs for metadata, actor, api, src_endpoint, cloud, ...; a map for unmapped), from memory, in one row group.
/// </summary>
public static class OcsfParquet
{
    private static readonly ParquetOptions s_options = new()
    {
        CompressionMethod = CompressionMethod.Zstd,
        CompressionLevel = CompressionLevel.Fastest,
    };

    /// <summary>Writes <paramref name="events"/> to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(IReadOnlyCollection<OcsfEvent> events, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await ParquetSerializer.SerializeAsync(events, output, s_options, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
