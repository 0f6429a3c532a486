using System.IO.Compression;

namespace TrailSieve.Core.Batching;

/// <summary>
/// An output object is a sequence of gzip members (RFC 1952 §2.2): a header member <c>{"Records":[</c>, one member per
/// filtered piece, a <c>,</c> member between pieces, and a trailer member <c>]}</c>. Every gzip reader decodes the
/// concatenation as one document; the filter workers compress pieces in parallel and the writer only appends bytes.
/// </summary>
public static class GzipMembers
{
    public static ReadOnlyMemory<byte> Header { get; } = Compress("{\"Records\":["u8);

    public static ReadOnlyMemory<byte> Separator { get; } = Compress(","u8);

    public static ReadOnlyMemory<byte> Trailer { get; } = Compress("]}"u8);

    public static ReadOnlyMemory<byte> EmptyDocument { get; } = Compress("{\"Records\":[]}"u8);

    private static byte[] Compress(ReadOnlySpan<byte> text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(text);
        }

        return output.ToArray();
    }
}
