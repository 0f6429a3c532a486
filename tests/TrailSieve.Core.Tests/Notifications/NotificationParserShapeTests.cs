using TrailSieve.Core.Notifications;
using static TrailSieve.Core.Tests.Notifications.NotificationFixtures;

namespace TrailSieve.Core.Tests.Notifications;

public class NotificationParserShapeTests
{
    private const string EuKey = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/01/111122223333_CloudTrail_eu-west-1_20260101T0005Z_Z9y8X7w6V5u4T3s2.json.gz";

    [Fact]
    public void Parse_CloudTrailDelivery_EveryKeyWithoutSize()
    {
        // Given CloudTrail's own SNS delivery notification, delivered raw

        // When
        var parsed = NotificationParser.Parse(CloudTrailTwoKeys);

        // Then every key, no size (CloudTrail does not give one)
        Assert.Equal(NotificationKind.CloudTrailDelivery, parsed.Kind);
        Assert.False(parsed.SnsWrapped);
        Assert.Null(parsed.Error);
        Assert.Equal([new ObjectRef(Bucket, LogKey, null), new ObjectRef(Bucket, EuKey, null)], parsed.Objects);
    }

    [Fact]
    public void Parse_CloudTrailDeliveryKeyWithPlusAndPercent_NotDecoded()
    {
        // Given keys CloudTrail sends as stored (a prefix may hold '+' or '%')
        var parsed = NotificationParser.Parse(CloudTrailDelivery("team+a/AWSLogs/x%20y.json.gz"));

        Assert.Equal("team+a/AWSLogs/x%20y.json.gz", Assert.Single(parsed.Objects).Key);
    }

    [Fact]
    public void Parse_CloudTrailDeliveryDuplicateKey_KeptOnce()
    {
        var parsed = NotificationParser.Parse(CloudTrailDelivery(LogKey, EuKey, LogKey));

        Assert.Equal([new ObjectRef(Bucket, LogKey, null), new ObjectRef(Bucket, EuKey, null)], parsed.Objects);
    }

    [Fact]
    public void Parse_EventBridgeObjectCreated_OneObject()
    {
        // Given the documented EventBridge "Object Created" event, delivered to SQS by a rule

        // When
        var parsed = NotificationParser.Parse(EventBridge("Object Created"));

        // Then
        Assert.Equal(NotificationKind.EventBridge, parsed.Kind);
        Assert.Null(parsed.Error);
        Assert.Equal(0, parsed.IgnoredEvents);
        Assert.Equal([new ObjectRef(Bucket, LogKey, 2048)], parsed.Objects);
    }

    [Fact]
    public void Parse_EventBridgeKeyWithPlus_NotDecoded()
    {
        // Given an EventBridge key: AWS documents no URL encoding for detail.object.key
        var parsed = NotificationParser.Parse(EventBridge("Object Created", key: "logs/c++/a%2Bb.json.gz"));

        Assert.Equal("logs/c++/a%2Bb.json.gz", Assert.Single(parsed.Objects).Key);
    }

    [Theory]
    [InlineData("Object Deleted")]
    [InlineData("Object Restore Completed")]
    [InlineData("Object Tags Added")]
    public void Parse_EventBridgeOtherDetailType_RecognisedAndIgnored(string detailType)
    {
        var parsed = NotificationParser.Parse(EventBridge(detailType));

        Assert.Equal(NotificationKind.EventBridge, parsed.Kind);
        Assert.Null(parsed.Error);
        Assert.Empty(parsed.Objects);
        Assert.Equal(1, parsed.IgnoredEvents);
    }

    [Fact]
    public void Parse_EventBridgeFromAnotherSource_Unknown()
    {
        var parsed = NotificationParser.Parse(EventBridge("EC2 Instance State-change Notification", source: "aws.ec2"));

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal("EventBridge event whose source is not aws.s3", parsed.Error);
    }

    [Fact]
    public void Parse_TestEvent_RecognisedWithNoObjects()
    {
        // Given the message S3 sends when a notification is configured

        // When
        var parsed = NotificationParser.Parse(TestEvent);

        // Then the caller can acknowledge it
        Assert.Equal(NotificationKind.TestEvent, parsed.Kind);
        Assert.True(parsed.IsRecognised);
        Assert.Null(parsed.Error);
        Assert.Empty(parsed.Objects);
        Assert.Equal(0, parsed.IgnoredEvents);
    }

    [Fact]
    public void Parse_OtherEvent_Unknown()
    {
        var parsed = NotificationParser.Parse("""{"Service":"Amazon S3","Event":"s3:SomethingElse"}""");

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal("Event is not s3:TestEvent", parsed.Error);
    }
}
