using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// One implementation of gzip (RFC 1952) for both directions: ISA-L's igzip where it loads (<see cref="Isal"/>, about
/// six times zlib-ng's inflate speed on CloudTrail files and several times its level-1 deflate), else the runtime's
/// zlib-ng (<see cref="Zlib"/>). Whichever decodes, multi-member input is read, every member's CRC-32 and length is
/// checked, and truncation, trailing data and corrupt data are <see cref="CloudTrailFormatException"/>s of the same
/// <see cref="CloudTrailErrorKind"/>; whichever encodes, the output is standard gzip members.
/// </summary>
public abstract class GzipCodec
{
    private const int OutputStep = 64 * 1024;

    private protected GzipCodec()
    {
    }

    /// <summary>The runtime's zlib-ng (System.IO.Compression.Native): always there.</summary>
    public static GzipCodec Zlib { get; } = new ZlibCodec();

    /// <summary>ISA-L (<c>libisal.so.2</c>), or null when it cannot be loaded (<see cref="IsalUnavailableReason"/> says why).</summary>
    public static GzipCodec? Isal => IsalCodec.Instance;

    /// <summary>Why <see cref="Isal"/> is null; null when it loaded.</summary>
    public static string? IsalUnavailableReason => IsalCodec.UnavailableReason;

    /// <summary><c>isal</c> or <c>zlib</c>: the configuration's name for it.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The codec <paramref name="choice"/> names: <see cref="GzipCodecChoice.Auto"/> is ISA-L when it loads, else zlib.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="GzipCodecChoice.Isal"/> and ISA-L cannot be loaded.</exception>
    public static GzipCodec For(GzipCodecChoice choice) => choice switch
    {
        GzipCodecChoice.Zlib => Zlib,
        GzipCodecChoice.Isal => Isal ?? throw new InvalidOperationException($"ISA-L is not available: {IsalUnavailableReason}"),
        _ => Isal ?? Zlib,
    };

    /// <summary>A new incremental decoder; the caller disposes it.</summary>
    public abstract GzipInflater CreateInflater();

    /// <summary>
    /// A write-only stream compressing what is written to it into one gzip member on <paramref name="destination"/>,
    /// at <paramref name="level"/>; disposing it writes the member's end (and disposes <paramref name="destination"/>
    /// unless <paramref name="leaveOpen"/>).
    /// </summary>
    public abstract Stream CreateCompressor(Stream destination, CompressionLevel level, bool leaveOpen = false);

    /// <summary>Compresses <paramref name="data"/> into one gzip member appended to <paramref name="destination"/>.</summary>
    public void Compress(ReadOnlySpan<byte> data, Stream destination, CompressionLevel level)
    {
        using var compressor = CreateCompressor(destination, level, leaveOpen: true);
        compressor.Write(data);
    }

    /// <summary>Compresses <paramref name="data"/> into one gzip member.</summary>
    public byte[] Compress(ReadOnlySpan<byte> data, CompressionLevel level)
    {
        using var output = new MemoryStream();
        Compress(data, output, level);
        return output.ToArray();
    }

    /// <summary>Decodes the whole of <paramref name="gzip"/> (one or more members) into <paramref name="output"/>.</summary>
    /// <exception cref="CloudTrailFormatException">Corrupt, truncated, or followed by bytes that start no member.</exception>
    public void Decompress(ReadOnlySpan<byte> gzip, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var inflater = CreateInflater();
        // The last member's ISIZE is the whole size when there is one member (CloudTrail's files): one call, no regrowth.
        // Believed up to 64 times the input, so that a corrupt trailer cannot ask for a gigabyte.
        var hint = gzip.Length >= 18 ? (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(gzip[^4..]) + 1L, 64L * gzip.Length) : 0;
        var span = output.GetSpan(Math.Max(hint, OutputStep));
        while (true)
        {
            inflater.Inflate(gzip, span, out var consumed, out var written);
            output.Advance(written);
            gzip = gzip[consumed..];
            if (gzip.IsEmpty && inflater.AtMemberBoundary)
            {
                return;
            }

            if (consumed == 0 && written == 0)
            {
                throw gzip.IsEmpty
                    ? new CloudTrailFormatException(CloudTrailErrorKind.TruncatedGzip, "truncated gzip: the data ends inside a gzip member")
                    : new CloudTrailFormatException(CloudTrailErrorKind.CorruptGzip, "corrupt gzip data (the decoder made no progress)");
            }

            span = output.GetSpan(OutputStep);
        }
    }

    /// <summary>Decodes the whole of <paramref name="gzip"/> (one or more members).</summary>
    /// <exception cref="CloudTrailFormatException">Corrupt, truncated, or followed by bytes that start no member.</exception>
    public byte[] Decompress(ReadOnlySpan<byte> gzip)
    {
        var output = new ArrayBufferWriter<byte>();
        Decompress(gzip, output);
        return output.WrittenSpan.ToArray();
    }

    public override string ToString() => Name;
}
