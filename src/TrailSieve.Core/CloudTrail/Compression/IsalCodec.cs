using System.IO.Compression;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// ISA-L's igzip (<see cref="NativeIsal"/>). Levels: <see cref="CompressionLevel.NoCompression"/> is ISA-L's level 0
/// (its fastest; ISA-L has no stored-only level), <see cref="CompressionLevel.Fastest"/> 1,
/// <see cref="CompressionLevel.Optimal"/> 2 and <see cref="CompressionLevel.SmallestSize"/> 3, its largest.
/// </summary>
internal sealed class IsalCodec : GzipCodec
{
    private static readonly Lazy<(IsalCodec? Codec, string? Reason)> s_state = new(Create);

    private IsalCodec()
    {
    }

    public static IsalCodec? Instance => s_state.Value.Codec;

    public static string? UnavailableReason => s_state.Value.Reason;

    public override string Name => "isal";

    public override GzipInflater CreateInflater() => new IsalInflater();

    public override Stream CreateCompressor(Stream destination, CompressionLevel level, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new IsalDeflateStream(destination, IsalDeflaterPool.Rent(Level(level)), leaveOpen);
    }

    /// <summary>
    /// Loads libisal and proves the binding before anything relies on it: a member each way between ISA-L and zlib.
    /// A libisal whose structs moved fields (not 2.30's layout) fails here, and is then unavailable with the reason.
    /// </summary>
    private static (IsalCodec? Codec, string? Reason) Create()
    {
        if (!NativeIsal.TryLoad(out var error))
        {
            return (null, error);
        }

        var codec = new IsalCodec();
        var sample = new byte[100_000];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (byte)"{\"eventName\":\"Decrypt\",\"n\":0123456789}"[(i * 7 + (i >> 9)) % 38];
        }

        try
        {
            foreach (var level in Enum.GetValues<CompressionLevel>())
            {
                if (!Zlib.Decompress(codec.Compress(sample, level)).AsSpan().SequenceEqual(sample)
                    || !codec.Decompress(Zlib.Compress(sample, level)).AsSpan().SequenceEqual(sample))
                {
                    return (null, "libisal loaded, but its round trip with zlib changed the data");
                }
            }
        }
        catch (Exception ex) when (ex is CloudTrailFormatException or InvalidOperationException)
        {
            return (null, $"libisal loaded, but failed its round trip with zlib ({ex.Message}): not the struct layout of ISA-L 2.30");
        }

        return (codec, null);
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
