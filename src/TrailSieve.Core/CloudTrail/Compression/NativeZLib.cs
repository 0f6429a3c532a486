using System.Runtime.InteropServices;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// The zlib entry points of the runtime's own System.IO.Compression.Native shim (the zlib-ng build GZipStream uses).
/// </summary>
/// <remarks>
/// GZipStream cannot tell a truncated member from a complete one (it returns end-of-stream either way) and ignores
/// bytes after the last member. Calling the shim directly gives the inflate status codes, so truncation, trailing
/// junk and CRC/length mismatches become errors. The exports are versioned (<c>@@V1.0</c>) and load from the shared
/// framework, so no native library ships with TrailSieve; a test guards the binding.
/// </remarks>
internal static unsafe partial class NativeZLib
{
    private const string LibraryName = "libSystem.IO.Compression.Native";

    public const int NoFlush = 0;
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDictionary = 2;
    public const int BufferError = -5;

    /// <summary>15 bits of window plus 16: expect a gzip (RFC 1952) wrapper and check its CRC-32 and length.</summary>
    public const int GzipWindowBits = 31;

    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public sbyte* Message;
        public IntPtr InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    [LibraryImport(LibraryName, EntryPoint = "CompressionNative_InflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits);

    [LibraryImport(LibraryName, EntryPoint = "CompressionNative_Inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(LibraryName, EntryPoint = "CompressionNative_InflateEnd")]
    public static partial int InflateEnd(ZStream* stream);
}
