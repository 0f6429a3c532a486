using System.IO.Hashing;
using Amazon.S3;

namespace TrailSieve.Worker.S3;

/// <summary>
/// The checksum every upload carries: CRC32, computed here over the bytes about to be sent and given to the request as
/// a precalculated value, so the SDK sends it (<c>x-amz-checksum-crc32</c>) whatever its own checksum configuration
/// says (AWS_REQUEST_CHECKSUM_CALCULATION=when_required makes AWSSDK.S3 send none, even with the algorithm set on
/// the request: measured on 4.0 and again on 4.1.0.1). S3 recomputes it over what it received and refuses the upload (BadDigest) when they differ.
/// </summary>
internal static class UploadChecksum
{
    /// <summary>The algorithm named on PutObject, CreateMultipartUpload and UploadPart.</summary>
    public static ChecksumAlgorithm Algorithm => ChecksumAlgorithm.CRC32;

    /// <summary>The CRC32 of <paramref name="data"/> as S3 writes it: four bytes big-endian, base64.</summary>
    public static string Crc32Of(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(hash, Crc32.HashToUInt32(data));
        return Convert.ToBase64String(hash);
    }
}
