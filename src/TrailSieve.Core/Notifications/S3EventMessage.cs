using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TrailSieve.Core.Notifications;

/// <summary>
/// Writes the body of an S3 <c>ObjectCreated:Put</c> event notification for one object, as S3 sends it to SQS, so that
/// <c>trailsieve backfill --enqueue</c> feeds the service exactly what a live bucket notification would. The key is
/// form-URL-encoded the way S3 does it (and <see cref="S3KeyDecoder"/> undoes).
/// </summary>
public static class S3EventMessage
{
    /// <summary>The JSON body announcing <paramref name="reference"/>.</summary>
    /// <param name="reference">The object.</param>
    /// <param name="eventTime">The notification's eventTime (when it was enqueued).</param>
    public static string Create(ObjectRef reference, DateTimeOffset eventTime)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            json.WriteStartObject();
            json.WriteString("eventVersion", "2.1");
            json.WriteString("eventSource", "aws:s3");
            json.WriteString("eventTime", eventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("eventName", "ObjectCreated:Put");
            json.WriteStartObject("userIdentity");
            json.WriteString("principalId", "trailsieve-backfill");
            json.WriteEndObject();
            json.WriteStartObject("s3");
            json.WriteString("s3SchemaVersion", "1.0");
            json.WriteString("configurationId", "trailsieve-backfill");
            json.WriteStartObject("bucket");
            json.WriteString("name", reference.Bucket);
            json.WriteString("arn", "arn:aws:s3:::" + reference.Bucket);
            json.WriteEndObject();
            json.WriteStartObject("object");
            json.WriteString("key", EncodeKey(reference.Key));
            if (reference.Size is { } size)
            {
                json.WriteNumber("size", size);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Form-URL-encodes a key as S3 event notifications carry it: letters, digits, <c>- _ . ~ * /</c> as they are, a
    /// space as '+', every other UTF-8 byte as %XX.
    /// </summary>
    public static string EncodeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = Encoding.UTF8.GetBytes(key);
        var builder = new StringBuilder(bytes.Length + 16);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '*' or '/')
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(Convert.ToHexString([b]));
            }
        }

        return builder.ToString();
    }
}
