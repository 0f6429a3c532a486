using System.Text.Json;

namespace TrailSieve.Core.Notifications;

public static partial class NotificationParser
{
    // {"s3Bucket":"amzn-s3-demo-bucket","s3ObjectKey":["AWSLogs/.../x.json.gz",..]}: keys as stored, not URL-encoded.
    private static ParsedNotification ParseCloudTrailDelivery(JsonElement root)
    {
        if (!JsonFields.TryGetText(root, "s3Bucket"u8, "s3Bucket", out var bucket, out var error))
        {
            return ParsedNotification.Failed(error);
        }

        if (!root.TryGetProperty("s3ObjectKey"u8, out var keys) || keys.ValueKind == JsonValueKind.Null)
        {
            return ParsedNotification.Failed("s3ObjectKey missing");
        }

        if (keys.ValueKind != JsonValueKind.Array)
        {
            return ParsedNotification.Failed("s3ObjectKey is not an array");
        }

        var objects = new ObjectListBuilder();
        var index = 0;
        foreach (var element in keys.EnumerateArray())
        {
            if (!JsonFields.TryGetString(element, out var key))
            {
                return ParsedNotification.Failed($"s3ObjectKey[{index}] is not a string");
            }

            if (key.Length == 0)
            {
                return ParsedNotification.Failed($"s3ObjectKey[{index}] is empty");
            }

            objects.Add(new ObjectRef(bucket, key, null));
            index++;
        }

        return ParsedNotification.Recognised(NotificationKind.CloudTrailDelivery, objects.ToList(), 0);
    }
}
