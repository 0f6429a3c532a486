using System.IO.Compression;

namespace TrailSieve.Core.CloudTrail.Compression;

/// <summary>
/// The runtime's zlib-ng: decoding through <see cref="ZlibInflater"/> (the shim's inflate status codes, which
/// <see cref="GZipStream"/> hides), encoding through <see cref="GZipStream"/> (zlib levels 0, 1, 6 and 9).
/// </summary>
internal sealed class ZlibCodec : GzipCodec
{
    public override string Name => "zlib";

    public override GzipInflater CreateInflater() => new ZlibInflater();

    public override Stream CreateCompressor(Stream destination, CompressionLevel level, bool leaveOpen = false) =>
        new GZipStream(destination, level, leaveOpen);
}
