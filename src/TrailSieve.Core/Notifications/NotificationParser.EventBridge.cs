using System.Text.Json;

namespace TrailSieve.Core.Notifications;

public static partial class NotificationParser
{
    // {"detail-type":"Object Created","source":"aws.s3",..,"detail":{"bucket":{"name":..},"object":{"key":..,"size":5},..}}
    // AWS documents no URL encoding for detail.object.key (unlike the S3 event notification), so it is used as is.
    private static ParsedNotification ParseEventBridge(JsonElement root)
    {
        if (!JsonFields.TryGetText(root, "source"u8, "source", out var source, out var error)
            || !JsonFields.TryGetText(root, "detail-type"u8, "detail-type", out var detailType, out error)
            || !JsonFields.TryGetObject(root, "detail"u8, "detail", out var detail, out error))
        {
            return ParsedNotification.Failed(error);
        }

        if (source != "aws.s3")
        {
            return ParsedNotification.Failed("EventBridge event whose source is not aws.s3");
        }

        if (detailType != "Object Created")
        {
            // Object Deleted, Object Restore Completed, Object Tags Added, ...: nothing to read.
            return ParsedNotification.Recognised(NotificationKind.EventBridge, [], 1);
        }

        if (!JsonFields.TryGetObject(detail, "bucket"u8, "detail.bucket", out var bucket, out error)
            || !JsonFields.TryGetText(bucket, "name"u8, "detail.bucket.name", out var bucketName, out error)
            || !JsonFields.TryGetObject(detail, "object"u8, "detail.object", out var @object, out error)
            || !JsonFields.TryGetText(@object, "key"u8, "detail.object.key", out var key, out error)
            || !JsonFields.TryGetSize(@object, "size"u8, "detail.object.size", out var size, out error))
        {
            return ParsedNotification.Failed(error);
        }

        return ParsedNotification.Recognised(NotificationKind.EventBridge, [new ObjectRef(bucketName, key, size)], 0);
    }
}
