using TrailSieve.Core.Notifications;
using static TrailSieve.Core.Tests.Notifications.NotificationFixtures;

namespace TrailSieve.Core.Tests.Notifications;

public class NotificationParserSnsTests
{
    [Fact]
    public void Parse_SnsWrappedS3Event_UnwrappedAndFlagged()
    {
        // Given an S3 event published to SNS and delivered to SQS without raw delivery
        var body = Sns(S3Event(S3Record("ObjectCreated:Put", "a+b%3Dc.json.gz", 7), S3Record("ObjectRemoved:Delete", "x")));

        // When
        var parsed = NotificationParser.Parse(body);

        // Then it parses as the inner shape
        Assert.Equal(NotificationKind.S3Event, parsed.Kind);
        Assert.True(parsed.SnsWrapped);
        Assert.Null(parsed.Error);
        Assert.Equal(1, parsed.IgnoredEvents);
        Assert.Equal([new ObjectRef(Bucket, "a b=c.json.gz", 7)], parsed.Objects);
    }

    [Fact]
    public void Parse_SnsWrappedCloudTrailDelivery_UnwrappedAndFlagged()
    {
        // Given CloudTrail's delivery notification as SNS publishes it
        var parsed = NotificationParser.Parse(Sns(CloudTrailDelivery(LogKey)));

        Assert.Equal(NotificationKind.CloudTrailDelivery, parsed.Kind);
        Assert.True(parsed.SnsWrapped);
        Assert.Equal([new ObjectRef(Bucket, LogKey, null)], parsed.Objects);
    }

    [Fact]
    public void Parse_SnsWrappedTestEvent_TestEvent()
    {
        var parsed = NotificationParser.Parse(Sns(TestEvent));

        Assert.Equal(NotificationKind.TestEvent, parsed.Kind);
        Assert.True(parsed.SnsWrapped);
    }

    [Fact]
    public void Parse_SnsWithNonJsonMessage_UnknownSayingWhy()
    {
        // Given an SNS notification whose Message is plain text
        var parsed = NotificationParser.Parse(Sns("New CloudTrail log delivered"));

        // Then
        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.True(parsed.SnsWrapped);
        Assert.StartsWith("SNS Message: not JSON: ", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SnsWrappedMalformedInner_ErrorPrefixed()
    {
        var parsed = NotificationParser.Parse(Sns("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{}}}]}"""));

        Assert.Equal("SNS Message: Records[0].s3.object.key missing", parsed.Error);
        Assert.True(parsed.SnsWrapped);
    }

    [Fact]
    public void Parse_SnsInsideSns_OnlyOneLevelUnwrapped()
    {
        var parsed = NotificationParser.Parse(Sns(Sns(S3Put)));

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal("SNS Message: an SNS envelope inside an SNS envelope (only one level is unwrapped)", parsed.Error);
    }

    [Fact]
    public void Parse_SnsSubscriptionConfirmation_Unknown()
    {
        var parsed = NotificationParser.Parse(Sns("You have chosen to subscribe to the topic", type: "SubscriptionConfirmation"));

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal("SNS envelope whose Type is not Notification", parsed.Error);
    }

    [Theory]
    [InlineData("""{"Type":"Notification","TopicArn":"arn:aws:sns:us-east-1:111122223333:t"}""", "SNS Message missing")]
    [InlineData("""{"Type":"Notification","Message":{"Records":[]}}""", "SNS Message is not a string")]
    [InlineData("""{"Type":"Notification","Message":"  "}""", "SNS Message is empty")]
    public void Parse_SnsWithoutUsableMessage_Unknown(string body, string error)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal(error, parsed.Error);
    }
}
