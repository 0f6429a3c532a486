using System.Text.Json;

namespace TrailSieve.Core.Notifications;

public static partial class NotificationParser
{
    // {"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":..},"object":{"key":"a+b%3Dc","size":1024}}},..]}
    private static ParsedNotification ParseS3Event(JsonElement records)
    {
        if (records.ValueKind != JsonValueKind.Array)
        {
            return ParsedNotification.Failed("Records is not an array");
        }

        var objects = new ObjectListBuilder();
        var ignored = 0;
        var index = -1;
        foreach (var record in records.EnumerateArray())
        {
            index++;
            if (record.ValueKind != JsonValueKind.Object)
            {
                return ParsedNotification.Failed($"Records[{index}] is not an object");
            }

            // Every record must be an S3 one (this also keeps a CloudTrail log document, which has Records too, from
            // passing as a message of ignored events); only ObjectCreated ones announce something to read. Paths are
            // relative to the record, so the "Records[i]." prefix is only built for an error.
            if (!JsonFields.TryGetText(record, "eventName"u8, "eventName", out var eventName, out var error)
                || !JsonFields.TryGetObject(record, "s3"u8, "s3", out var s3, out error)
                || !JsonFields.TryGetObject(s3, "bucket"u8, "s3.bucket", out var bucket, out error)
                || !JsonFields.TryGetText(bucket, "name"u8, "s3.bucket.name", out var bucketName, out error)
                || !JsonFields.TryGetObject(s3, "object"u8, "s3.object", out var @object, out error)
                || !JsonFields.TryGetText(@object, "key"u8, "s3.object.key", out var encodedKey, out error))
            {
                return ParsedNotification.Failed($"Records[{index}].{error}");
            }

            if (!IsObjectCreated(eventName))
            {
                ignored++;
                continue;
            }

            if (!S3KeyDecoder.TryDecode(encodedKey, out var key, out var decodeError))
            {
                return ParsedNotification.Failed($"Records[{index}].s3.object.key: {decodeError}");
            }

            if (!JsonFields.TryGetSize(@object, "size"u8, "s3.object.size", out var size, out error))
            {
                return ParsedNotification.Failed($"Records[{index}].{error}");
            }

            objects.Add(new ObjectRef(bucketName, key, size));
        }

        return ParsedNotification.Recognised(NotificationKind.S3Event, objects.ToList(), ignored);
    }

    // AWS sends "ObjectCreated:Put"; S3-compatible servers (MinIO, which local runs may use) send "s3:ObjectCreated:Put".
    private static bool IsObjectCreated(string eventName) =>
        eventName.StartsWith("ObjectCreated:", StringComparison.Ordinal)
        || eventName.StartsWith("s3:ObjectCreated:", StringComparison.Ordinal);
}
