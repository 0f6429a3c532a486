using System.ComponentModel.DataAnnotations;
using System.IO.Compression;
using TrailSieve.Core.CloudTrail;
using TrailSieve.Core.CloudTrail.Compression;

namespace TrailSieve.Worker.Options;

/// <summary>The stages' parallelism, channel capacities and limits. Section <c>Pipeline</c>.</summary>
public sealed class PipelineOptions : IValidatableObject
{
    public const string SectionName = "Pipeline";

    /// <summary>Objects read (downloaded and parsed) at once. Default 2; 1 to 64.</summary>
    [Range(1, 64)]
    public int ReadParallelism { get; set; } = 2;

    /// <summary>Filter workers. Default: the number of cores; 1 to 256.</summary>
    [Range(1, 256)]
    public int FilterParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Capacity of the object queue in front of the readers. Default 4; 1 to 1024.</summary>
    [Range(1, 1024)]
    public int ObjectQueueCapacity { get; set; } = 4;

    /// <summary>
    /// Capacity, in chunks, of each record channel (reader to filter, filter to writer): the backpressure bound. With
    /// 256 KiB chunks the default 8 holds at most ~2 MiB of records per channel. Default 8; 1 to 1024.
    /// </summary>
    [Range(1, 1024)]
    public int ChunkQueueCapacity { get; set; } = 8;

    /// <summary>Size of the pooled chunks records are copied into. Default 256 KiB; 4 KiB to 16 MiB.</summary>
    [Range(4 * 1024, 16 * 1024 * 1024)]
    public int ChunkBytes { get; set; } = 256 * 1024;

    /// <summary>Largest record accepted, in bytes. Default 64 MiB; 1 KiB to 1 GiB.</summary>
    [Range(1024, 1 << 30)]
    public int MaxRecordBytes { get; set; } = RecordReaderOptions.DefaultMaxRecordBytes;

    /// <summary>Deepest nesting accepted in a record. Default 256; 8 to 4096.</summary>
    [Range(8, 4096)]
    public int MaxDepth { get; set; } = RecordReaderOptions.DefaultMaxDepth;

    /// <summary>gzip level of the output. Default Fastest (the ratio loss is small for JSON; the CPU saved is large).</summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>
    /// The gzip codec that reads the input and compresses the output: <c>auto</c> (ISA-L when libisal.so.2 loads, else
    /// zlib), <c>isal</c> (ISA-L, or no start: a configuration error), <c>zlib</c> (the runtime's zlib-ng). Default auto.
    /// </summary>
    public GzipCodecChoice Compression { get; set; } = GzipCodecChoice.Auto;

    /// <summary>The codec <see cref="Compression"/> chooses on this machine (not a setting; the effective configuration shows it).</summary>
    public string Codec => CompressionProblem(Compression, GzipCodec.IsalUnavailableReason) is null ? GzipCodec.For(Compression).Name : "unavailable";

    /// <summary>Why <paramref name="choice"/> cannot be used when ISA-L is unavailable for <paramref name="isalUnavailable"/> (null: it loaded); null when it can.</summary>
    internal static ConfigurationProblem? CompressionProblem(GzipCodecChoice choice, string? isalUnavailable) =>
        choice == GzipCodecChoice.Isal && isalUnavailable is not null
            ? new ConfigurationProblem(
                $"{SectionName}:{nameof(Compression)}", $"isal needs ISA-L, but {isalUnavailable} (install it: apt-get install libisal2)", "auto, zlib")
            : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CompressionProblem(Compression, GzipCodec.IsalUnavailableReason) is { } problem)
        {
            yield return new ValidationResult(problem.ToString(), [nameof(Compression)]);
        }
    }

    /// <summary>The codec <see cref="Compression"/> names.</summary>
    /// <exception cref="InvalidOperationException"><c>isal</c> and ISA-L cannot be loaded (validation reports it first).</exception>
    internal GzipCodec ResolveCodec() => GzipCodec.For(Compression);

    internal RecordReaderOptions ToReaderOptions(GzipCodec codec) =>
        new() { MaxRecordBytes = MaxRecordBytes, MaxDepth = MaxDepth, ChunkBytes = ChunkBytes, Codec = codec };
}
