using TrailSieve.Core.Notifications;

namespace TrailSieve.Core.Tests.Notifications;

public sealed class S3EventMessageTests
{
    [Theory]
    [InlineData("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/111122223333_CloudTrail_eu-west-1_20260102T0305Z_abc.json.gz")]
    [InlineData("folder with spaces/a+b=c&d.json.gz")]
    [InlineData("ünïcødé/日本/€.json.gz")]
    [InlineData("percent%20literal/%41.json")]
    public void A_message_parses_back_to_the_same_object(string key)
    {
        var body = S3EventMessage.Create(new ObjectRef("trail-bucket", key, 1234), new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        var parsed = NotificationParser.Parse(body);

        Assert.Null(parsed.Error);
        Assert.Equal(NotificationKind.S3Event, parsed.Kind);
        var only = Assert.Single(parsed.Objects);
        Assert.Equal(new ObjectRef("trail-bucket", key, 1234), only);
    }

    [Fact]
    public void Keys_are_encoded_the_way_S3_notifications_encode_them()
    {
        Assert.Equal("a/b+c%3Dd%2B%25.json", S3EventMessage.EncodeKey("a/b c=d+%.json"));
        Assert.Equal("AWSLogs/1_x-y.z~*", S3EventMessage.EncodeKey("AWSLogs/1_x-y.z~*"));
        Assert.Equal("%C3%A9", S3EventMessage.EncodeKey("é"));
    }

    [Fact]
    public void The_message_has_the_fields_of_an_ObjectCreated_notification()
    {
        var body = S3EventMessage.Create(new ObjectRef("b", "k", null), new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        Assert.Contains("\"eventSource\":\"aws:s3\"", body, StringComparison.Ordinal);
        Assert.Contains("\"eventName\":\"ObjectCreated:Put\"", body, StringComparison.Ordinal);
        Assert.Contains("\"eventTime\":\"2026-11-25T12:00:00.000Z\"", body, StringComparison.Ordinal);
        Assert.Contains("\"arn\":\"arn:aws:s3:::b\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"size\"", body, StringComparison.Ordinal);
    }
}
