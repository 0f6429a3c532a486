using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TrailSieve.Core.Notifications;

/// <summary>
/// Turns an SQS message body into the S3 objects it announces. Knows the S3 event notification, CloudTrail's own
/// delivery notification, the EventBridge "Object Created" event and the <c>s3:TestEvent</c>, each either as the body or
/// inside one SNS <c>Notification</c> envelope (raw message delivery is just the inner shape).
/// </summary>
/// <remarks>
/// Pure and total: any string comes back as a <see cref="ParsedNotification"/>, never an exception; a body it cannot use
/// is <see cref="NotificationKind.Unknown"/> with an error naming the field at fault (and never a key's value).
/// </remarks>
public static partial class NotificationParser
{
    private const string NoKnownShape = "JSON object with no Records, s3Bucket, detail or Event";

    /// <summary>Parses one SQS message body. Never throws.</summary>
    public static ParsedNotification Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return ParsedNotification.Failed("empty body");
        }

        return ParseText(body, snsWrapped: false);
    }

    private static ParsedNotification ParseText(string text, bool snsWrapped)
    {
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            if (Utf8.FromUtf16(text, utf8, out _, out var length, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                return Fail("not JSON: the text is not valid UTF-16", snsWrapped);
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(utf8.AsMemory(0, length));
            }
            catch (JsonException ex)
            {
                return Fail($"not JSON: {ex.Message}", snsWrapped);
            }

            using (document)
            {
                var parsed = ParseRoot(document.RootElement, snsWrapped);
                return snsWrapped ? parsed with { SnsWrapped = true } : parsed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    private static ParsedNotification ParseRoot(JsonElement root, bool snsWrapped)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail($"JSON {KindName(root.ValueKind)}, not an object", snsWrapped);
        }

        if (IsSnsEnvelope(root))
        {
            return snsWrapped
                ? Fail("an SNS envelope inside an SNS envelope (only one level is unwrapped)", snsWrapped)
                : UnwrapSns(root);
        }

        var parsed =
            root.TryGetProperty("Records"u8, out var records) ? ParseS3Event(records)
            : root.TryGetProperty("s3Bucket"u8, out _) ? ParseCloudTrailDelivery(root)
            : root.TryGetProperty("detail"u8, out _) ? ParseEventBridge(root)
            : root.TryGetProperty("Event"u8, out var testEvent) ? ParseTestEvent(testEvent)
            : ParsedNotification.Failed(NoKnownShape);
        return parsed.Error is null ? parsed : Fail(parsed.Error, snsWrapped);
    }

    // SNS to SQS without raw delivery: {"Type":"Notification","MessageId":..,"TopicArn":..,"Message":"<the payload>",..}.
    private static bool IsSnsEnvelope(JsonElement root) =>
        root.TryGetProperty("Type"u8, out var type) && type.ValueKind == JsonValueKind.String
        && (root.TryGetProperty("Message"u8, out _) || root.TryGetProperty("TopicArn"u8, out _));

    private static ParsedNotification UnwrapSns(JsonElement envelope)
    {
        if (!JsonFields.TryGetString(envelope.GetProperty("Type"u8), out var type) || type != "Notification")
        {
            // A SubscriptionConfirmation lands in the queue when a cross-account subscription is not yet confirmed.
            return ParsedNotification.Failed("SNS envelope whose Type is not Notification");
        }

        if (!envelope.TryGetProperty("Message"u8, out var message) || message.ValueKind == JsonValueKind.Null)
        {
            return ParsedNotification.Failed("SNS Message missing");
        }

        if (!JsonFields.TryGetString(message, out var text))
        {
            return ParsedNotification.Failed("SNS Message is not a string");
        }

        return string.IsNullOrWhiteSpace(text)
            ? ParsedNotification.Failed("SNS Message is empty", snsWrapped: true)
            : ParseText(text, snsWrapped: true);
    }

    // {"Service":"Amazon S3","Event":"s3:TestEvent","Time":..,"Bucket":..,"RequestId":..,"HostId":..}
    private static ParsedNotification ParseTestEvent(JsonElement testEvent) =>
        JsonFields.TryGetString(testEvent, out var name) && name == "s3:TestEvent"
            ? ParsedNotification.Recognised(NotificationKind.TestEvent, [], 0)
            : ParsedNotification.Failed("Event is not s3:TestEvent");

    private static ParsedNotification Fail(string error, bool snsWrapped) =>
        ParsedNotification.Failed(snsWrapped ? $"SNS Message: {error}" : error, snsWrapped);

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
