using System.Runtime.InteropServices;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// The entry points of Intel's ISA-L (igzip, <c>libisal.so.2</c>, Debian's <c>libisal2</c>), loaded when present.
/// </summary>
/// <remarks>
/// ISA-L's streams are plain C structs the caller allocates: <c>struct inflate_state</c> (87,368 bytes in 2.30) and
/// <c>struct isal_zstream</c> (82,384 bytes), LP64 and the same on x86-64 and arm64. They are native memory of that
/// size here, and only the fields TrailSieve sets or reads are touched, at their offsets in igzip_lib.h (printed with
/// <c>offsetof</c> against /usr/include/isa-l/igzip_lib.h; the round-trip tests over real data guard them). The
/// sizes are the header's with the largest history (32 KiB), so a library built with a smaller one fits too, and the
/// memory given to ISA-L is <see cref="Slack"/> larger still, so that a later version that grows them at the end
/// writes into owned memory and fails the load-time round trip (<c>IsalCodec</c>) instead of corrupting the heap.
/// </remarks>
internal static unsafe partial class NativeIsal
{
    /// <summary>The name the imports use; the resolver maps it to the handle <see cref="TryLoad"/> found.</summary>
    private const string LibraryName = "trailsieve-isal";

    /// <summary>The file names tried, in order: the runtime package's soname, then the development symlink.</summary>
    public static readonly string[] FileNames = ["libisal.so.2", "libisal.so"];

    public const int Slack = 16 * 1024;

    public const int InflateStateSize = 87_368;
    public const int ZStreamSize = 82_384;

    // struct inflate_state
    public const int InflateNextOut = 0;
    public const int InflateAvailOut = 8;
    public const int InflateNextIn = 16;
    public const int InflateAvailIn = 32;
    public const int InflateBlockState = 21_160;
    public const int InflateCrcFlag = 21_172;

    // struct isal_zstream
    public const int DeflateNextIn = 0;
    public const int DeflateAvailIn = 8;
    public const int DeflateNextOut = 16;
    public const int DeflateAvailOut = 24;
    public const int DeflateLevel = 40;
    public const int DeflateLevelBufSize = 44;
    public const int DeflateLevelBuf = 48;
    public const int DeflateEndOfStream = 56;
    public const int DeflateFlush = 58;
    public const int DeflateGzipFlag = 60;
    public const int DeflateInternalState = 84;

    /// <summary><c>ISAL_GZIP</c> (crc_flag) and <c>IGZIP_GZIP</c> (gzip_flag): parse or write the gzip header and trailer, checking CRC-32 and ISIZE.</summary>
    public const int Gzip = 1;

    /// <summary><c>ISAL_BLOCK_FINISH</c>: the member is decoded, its output written and its trailer checked.</summary>
    public const int BlockFinish = 5;

    /// <summary><c>ZSTATE_END</c>: the member's trailer has been written out.</summary>
    public const int ZStateEnd = 11;

    public const int DecompOk = 0;
    public const int EndInput = 1;
    public const int OutOverflow = 2;
    public const int InvalidBlock = -1;
    public const int InvalidSymbol = -2;
    public const int InvalidLookback = -3;
    public const int InvalidWrapper = -4;
    public const int UnsupportedMethod = -5;
    public const int IncorrectChecksum = -6;

    /// <summary>ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT (level 0 needs none): the level buffers ISA-L recommends.</summary>
    public static ReadOnlySpan<int> LevelBufferSizes => [0, 282_624, 331_776, 348_160];

    private static readonly Lazy<(IntPtr Handle, string? Error)> s_library = new(Load);

    /// <summary>Loads libisal once; false with the reason when it is not there.</summary>
    public static bool TryLoad(out string? error)
    {
        var (handle, reason) = s_library.Value;
        error = reason;
        return handle != IntPtr.Zero;
    }

    [LibraryImport(LibraryName, EntryPoint = "isal_inflate_init")]
    public static partial void InflateInit(byte* state);

    [LibraryImport(LibraryName, EntryPoint = "isal_inflate_reset")]
    public static partial void InflateReset(byte* state);

    [LibraryImport(LibraryName, EntryPoint = "isal_inflate")]
    public static partial int Inflate(byte* state);

    [LibraryImport(LibraryName, EntryPoint = "isal_deflate_init")]
    public static partial void DeflateInit(byte* stream);

    [LibraryImport(LibraryName, EntryPoint = "isal_deflate_reset")]
    public static partial void DeflateReset(byte* stream);

    [LibraryImport(LibraryName, EntryPoint = "isal_deflate")]
    public static partial int Deflate(byte* stream);

    private static (IntPtr Handle, string? Error) Load()
    {
        foreach (var name in FileNames)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                if (!NativeLibrary.TryGetExport(handle, "isal_inflate", out _) || !NativeLibrary.TryGetExport(handle, "isal_deflate", out _))
                {
                    return (IntPtr.Zero, $"{name} has no isal_inflate/isal_deflate export");
                }

                NativeLibrary.SetDllImportResolver(typeof(NativeIsal).Assembly, (library, _, _) => library == LibraryName ? handle : IntPtr.Zero);
                return (handle, null);
            }
        }

        return (IntPtr.Zero, $"{string.Join(" and ", FileNames)} cannot be loaded");
    }
}
