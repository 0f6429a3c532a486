using System.Text.Json;

namespace TrailSieve.Core.Tests.Notifications;

/// <summary>
/// Message bodies in the shapes AWS documents (written for these tests, values invented): S3 event notification
/// (docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html), EventBridge event
/// (.../userguide/ev-events.html), CloudTrail SNS delivery (docs.aws.amazon.com/awscloudtrail/latest/userguide/
/// configure-sns-notifications-for-cloudtrail.html) and the SNS envelope (docs.aws.amazon.com/sns/latest/dg/
/// http-notification-json.html; an SQS subscriber without raw delivery gets the same JSON as its body).
/// </summary>
internal static class NotificationFixtures
{
    public const string Bucket = "trail-logs-111122223333";

    public const string LogKey = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/01/111122223333_CloudTrail_us-east-1_20260101T0005Z_a1B2c3D4e5F6g7H8.json.gz";

    public static string S3Record(string eventName, string encodedKey, long size = 4096, string bucket = Bucket) => $$"""
        {
          "eventVersion": "2.1",
          "eventSource": "aws:s3",
          "awsRegion": "us-east-1",
          "eventTime": "2026-01-01T00:05:12.345Z",
          "eventName": "{{eventName}}",
          "userIdentity": { "principalId": "AWS:AROAEXAMPLEROLEID:regionalDeliverySession" },
          "requestParameters": { "sourceIPAddress": "198.51.100.7" },
          "responseElements": { "x-amz-request-id": "7D4E2F6A9B1C3D5E", "x-amz-id-2": "f0Xk2h6Hc1Q8eYy3c4B5n6M7p8Q9r0S1t2U3v4W5x6Y7z8A9b0C=" },
          "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "trailsieve-new-logs",
            "bucket": {
              "name": "{{bucket}}",
              "ownerIdentity": { "principalId": "A2EXAMPLEOWNER" },
              "arn": "arn:aws:s3:::{{bucket}}"
            },
            "object": {
              "key": "{{encodedKey}}",
              "size": {{size}},
              "eTag": "0f343b0931126a20f133d67c2b018a3b",
              "versionId": "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY",
              "sequencer": "0067749A18C3F1B2E4"
            }
          }
        }
        """;

    public static string S3Event(params string[] records) => $$"""{ "Records": [ {{string.Join(",\n", records)}} ] }""";

    public static readonly string S3Put = S3Event(S3Record("ObjectCreated:Put", LogKey, 4096));

    public static string CloudTrailDelivery(params string[] keys) =>
        $$"""{"s3Bucket":"{{Bucket}}","s3ObjectKey":{{JsonSerializer.Serialize(keys)}}}""";

    public static readonly string CloudTrailTwoKeys = CloudTrailDelivery(
        LogKey,
        "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/01/111122223333_CloudTrail_eu-west-1_20260101T0005Z_Z9y8X7w6V5u4T3s2.json.gz");

    public static string EventBridge(string detailType, string key = LogKey, string source = "aws.s3") => $$"""
        {
          "version": "0",
          "id": "5d2f3c1a-8b7e-4f60-9a1d-2c3b4a5e6f70",
          "detail-type": "{{detailType}}",
          "source": "{{source}}",
          "account": "111122223333",
          "time": "2026-01-01T00:05:12Z",
          "region": "us-east-1",
          "resources": [ "arn:aws:s3:::{{Bucket}}" ],
          "detail": {
            "version": "0",
            "bucket": { "name": "{{Bucket}}" },
            "object": {
              "key": "{{key}}",
              "size": 2048,
              "etag": "9b2cf535f27731c974343645a3985328",
              "sequencer": "0067749A18C3F1B2E5"
            },
            "request-id": "Q1W2E3R4T5Y6U7I8",
            "requester": "cloudtrail.amazonaws.com",
            "source-ip-address": "203.0.113.9",
            "reason": "PutObject"
          }
        }
        """;

    public const string TestEvent = """
        {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-01T00:00:01.234Z","Bucket":"trail-logs-111122223333","RequestId":"A1B2C3D4E5F60718","HostId":"yQ3cX5v7b9N1m3K5j7H9g1F3d5S7a9P1o3I5u7Y9t1R3e5W7q9="}
        """;

    /// <summary>Wraps <paramref name="message"/> the way SNS does for an SQS subscriber without raw message delivery.</summary>
    public static string Sns(string message, string type = "Notification") => $$"""
        {
          "Type" : "{{type}}",
          "MessageId" : "b3e7c1d2-6a4f-5e8d-9c0b-1a2f3e4d5c6b",
          "TopicArn" : "arn:aws:sns:us-east-1:111122223333:trail-logs",
          "Subject" : "Amazon S3 Notification",
          "Message" : {{JsonSerializer.Serialize(message)}},
          "Timestamp" : "2026-01-01T00:05:13.001Z",
          "SignatureVersion" : "1",
          "Signature" : "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
          "SigningCertURL" : "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
          "UnsubscribeURL" : "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:111122223333:trail-logs:0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6"
        }
        """;

    /// <summary>Every valid body above, for the robustness test.</summary>
    public static IEnumerable<string> AllValid() =>
    [
        S3Put,
        S3Event(S3Record("ObjectCreated:Put", "a+b%3Dc.json.gz"), S3Record("ObjectRemoved:Delete", "old.json.gz")),
        CloudTrailTwoKeys,
        EventBridge("Object Created"),
        EventBridge("Object Deleted"),
        TestEvent,
        Sns(S3Put),
        Sns(CloudTrailTwoKeys),
        Sns(TestEvent),
    ];
}
