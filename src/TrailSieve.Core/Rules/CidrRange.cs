using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace TrailSieve.Core.Rules;

/// <summary>
/// One network of a <c>cidr</c> match, as a masked address. IPv4 networks are kept as IPv4 (in the low 32 bits);
/// an IPv4-mapped IPv6 network (<c>::ffff:10.0.0.0/104</c>) becomes the IPv4 network it maps, and an IPv4-mapped
/// IPv6 value (<c>::ffff:10.1.2.3</c>) is matched as the IPv4 address it carries, so both spellings of one address
/// match the same ranges. Host bits in the written network are ignored (<c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>).
/// </summary>
internal readonly record struct CidrRange(bool IsV4, UInt128 Network, UInt128 Mask)
{
    /// <summary>Parses <c>address/prefix</c> (or a bare address, a /32 or /128); null with a reason when malformed.</summary>
    public static CidrRange? TryParse(string text, out string? problem)
    {
        problem = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(System.Text.Encoding.UTF8.GetBytes(addressText), out var isV4, out var value))
        {
            problem = $"'{addressText}' is not an IPv4 or IPv6 address";
            return null;
        }

        // Written as IPv6 (an IPv4-mapped one comes back as IPv4): its prefix counts 128 bits.
        var writtenBits = addressText.Contains(':', StringComparison.Ordinal) ? 128 : 32;
        var prefix = writtenBits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > writtenBits))
        {
            problem = $"the prefix length after '/' must be a number from 0 to {writtenBits}";
            return null;
        }

        if (isV4 && writtenBits == 128)
        {
            if (prefix < 96)
            {
                problem = "an IPv4-mapped IPv6 network needs a prefix of at least 96";
                return null;
            }

            prefix -= 96;
        }

        var bits = isV4 ? 32 : 128;
        var mask = prefix == 0 ? UInt128.Zero : (UInt128.MaxValue << (128 - prefix)) >> (128 - bits);
        return new CidrRange(isV4, value & mask, mask);
    }

    public bool Contains(bool isV4, UInt128 address) => isV4 == IsV4 && (address & Mask) == Network;

    /// <summary>
    /// Parses a JSON string value (UTF-8, unescaped) as an IP address without allocating for IPv4; IPv6 goes through
    /// <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>. Anything else (a host name, <c>AWS Internal</c>) is not an address.
    /// </summary>
    public static bool TryParseAddress(ReadOnlySpan<byte> utf8, out bool isV4, out UInt128 address)
    {
        isV4 = true;
        address = UInt128.Zero;
        if (TryParseV4(utf8, out var v4))
        {
            address = v4;
            return true;
        }

        if (utf8.Length is < 2 or > 64 || utf8.IndexOf((byte)':') < 0 || utf8.IndexOf((byte)'%') >= 0)
        {
            return false;
        }

        Span<char> chars = stackalloc char[64];
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] > 0x7f)
            {
                return false;
            }

            chars[i] = (char)utf8[i];
        }

        if (!IPAddress.TryParse(chars[..utf8.Length], out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = ToValue(parsed);
        isV4 = parsed.IsIPv4MappedToIPv6;
        if (isV4)
        {
            address &= uint.MaxValue;
        }

        return true;
    }

    /// <summary>Strict dotted quad: four decimal parts 0-255, no leading zeros beyond a single 0, nothing else.</summary>
    private static bool TryParseV4(ReadOnlySpan<byte> utf8, out uint value)
    {
        value = 0;
        var part = 0;
        var digits = 0;
        var parts = 0;
        foreach (var b in utf8)
        {
            if (b is >= (byte)'0' and <= (byte)'9')
            {
                if (digits > 0 && part == 0)
                {
                    return false;
                }

                part = (part * 10) + (b - '0');
                if (++digits > 3 || part > 255)
                {
                    return false;
                }
            }
            else if (b == '.' && digits > 0 && parts < 3)
            {
                value = (value << 8) | (uint)part;
                parts++;
                part = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (parts != 3 || digits == 0)
        {
            return false;
        }

        value = (value << 8) | (uint)part;
        return true;
    }

    private static UInt128 ToValue(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
