using System.IO.Compression;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// ISA-L's igzip (<see cref="NativeIsal"/>). Levels: <see cref="CompressionLevel.NoCompression"/> is ISA-L's level 0
/// (its fastest; ISA-L has no stored-only level), <see cref="CompressionLevel.Fastest"/> 1,
/// <see cref="CompressionLevel.Optimal"/> 2 and <see cref="CompressionLevel.SmallestSize"/> 3, its largest.
/// </summary>
internal sealed class IsalCodec : GzipCodec
{
    private static readonly Lazy<IsalCodec?> s_instance = new(() => NativeIsal.TryLoad(out _) ? new IsalCodec() : null);

    private IsalCodec()
    {
    }

    public static IsalCodec? Instance => s_instance.Value;

    public static string? UnavailableReason => NativeIsal.TryLoad(out var error) ? null : error;

    public override string Name => "isal";

    public override GzipInflater CreateInflater() => new IsalInflater();

    public override Stream CreateCompressor(Stream destination, CompressionLevel level, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new IsalDeflateStream(destination, IsalDeflaterPool.Rent(Level(level)), leaveOpen);
    }

    /// <summary>ISA-L's level for <paramref name="level"/>.</summary>
    internal static int Level(CompressionLevel level) => level switch
    {
        CompressionLevel.NoCompression => 0,
        CompressionLevel.Fastest => 1,
        CompressionLevel.Optimal => 2,
        CompressionLevel.SmallestSize => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a CompressionLevel"),
    };
}
