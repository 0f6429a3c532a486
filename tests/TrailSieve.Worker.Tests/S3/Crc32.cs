namespace TrailSieve.Worker.Tests.S3;

/// <summary>CRC-32 (IEEE 802.3, the one S3's x-amz-checksum-crc32 uses), written out here so the tests do not check the SDK with itself.</summary>
internal static class Crc32
{
    private static readonly uint[] s_table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>As S3 writes it: the four bytes big-endian, base64.</summary>
    public static string Base64(ReadOnlySpan<byte> data)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, Compute(data));
        return Convert.ToBase64String(bytes);
    }
}
