using System.Buffers;
using System.Text.Unicode;

namespace TrailSieve.Core.Notifications;

/// <summary>
/// Decodes the object key of an S3 event notification, which S3 sends form-URL-encoded ("red flower.jpg" arrives as
/// "red+flower.jpg"): '+' is a space and %XX is a byte of the key's UTF-8.
/// </summary>
/// <remarks>
/// Strict where <c>WebUtility.UrlDecode</c> is lenient: a '%' not followed by two hex digits, or escapes that do not
/// spell valid UTF-8, are errors rather than text kept as is, so a mangled key is reported instead of fetched.
/// </remarks>
internal static class S3KeyDecoder
{
    /// <summary>Decodes <paramref name="encoded"/>; on false, <paramref name="error"/> says why (without the key).</summary>
    public static bool TryDecode(string encoded, out string decoded, out string? error)
    {
        if (encoded.AsSpan().IndexOfAny('%', '+') < 0)
        {
            decoded = encoded;
            error = null;
            return true;
        }

        // Every char of a key is at most 3 UTF-8 bytes, and an escape is 3 chars for 1 byte, so this always fits.
        var bytes = ArrayPool<byte>.Shared.Rent(encoded.Length * 3);
        try
        {
            var length = 0;
            for (var i = 0; i < encoded.Length; i++)
            {
                var c = encoded[i];
                if (c == '+')
                {
                    bytes[length++] = (byte)' ';
                }
                else if (c == '%')
                {
                    if (i + 2 >= encoded.Length || !TryHex(encoded[i + 1], out var high) || !TryHex(encoded[i + 2], out var low))
                    {
                        decoded = string.Empty;
                        error = $"invalid escape at index {i}";
                        return false;
                    }

                    bytes[length++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else
                {
                    var end = i + 1;
                    while (end < encoded.Length && encoded[end] is not ('%' or '+'))
                    {
                        end++;
                    }

                    if (Utf8.FromUtf16(encoded.AsSpan(i, end - i), bytes.AsSpan(length), out _, out var written, replaceInvalidSequences: false)
                        != OperationStatus.Done)
                    {
                        decoded = string.Empty;
                        error = "not valid UTF-16 text";
                        return false;
                    }

                    length += written;
                    i = end - 1;
                }
            }

            return TryToString(bytes.AsSpan(0, length), out decoded, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool TryToString(ReadOnlySpan<byte> utf8, out string decoded, out string? error)
    {
        var chars = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            if (Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                decoded = string.Empty;
                error = "escapes are not valid UTF-8";
                return false;
            }

            decoded = new string(chars, 0, written);
            error = null;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
