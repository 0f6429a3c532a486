using TrailSieve.Core.Notifications;

namespace TrailSieve.Core.Tests.Notifications;

public class NotificationParserMalformedTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t")]
    public void Parse_EmptyBody_Unknown(string body)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.False(parsed.IsRecognised);
        Assert.Equal("empty body", parsed.Error);
        Assert.Empty(parsed.Objects);
    }

    [Fact]
    public void Parse_NullBody_UnknownInsteadOfThrowing()
    {
        var parsed = NotificationParser.Parse(null!);

        Assert.Equal("empty body", parsed.Error);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("{\"Records\":[")]
    [InlineData("{'Records':[]}")]
    [InlineData("{\"Records\":[]} trailing")]
    public void Parse_NotJson_UnknownSayingWhy(string body)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.StartsWith("not JSON: ", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LoneSurrogateInBody_NotJson()
    {
        var parsed = NotificationParser.Parse("{\"s3Bucket\":\"b\ud800\"}");

        Assert.Equal("not JSON: the text is not valid UTF-16", parsed.Error);
    }

    [Theory]
    [InlineData("""[{"s3Bucket":"b","s3ObjectKey":["k"]}]""", "JSON array, not an object")]
    [InlineData("\"text\"", "JSON string, not an object")]
    [InlineData("42", "JSON number, not an object")]
    [InlineData("null", "JSON null, not an object")]
    [InlineData("true", "JSON boolean, not an object")]
    public void Parse_JsonButNotAnObject_Unknown(string body, string error)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal(error, parsed.Error);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"Message":"hi","Subject":"x"}""")]
    [InlineData("""{"records":[]}""")]
    public void Parse_ObjectWithoutKnownKeys_Unknown(string body)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal("JSON object with no Records, s3Bucket, detail or Event", parsed.Error);
    }

    [Theory]
    [InlineData("""{"Records":{}}""", "Records is not an array")]
    [InlineData("""{"Records":[1]}""", "Records[0] is not an object")]
    [InlineData("""{"Records":[{"s3":{}}]}""", "Records[0].eventName missing")]
    [InlineData("""{"Records":[{"eventName":7}]}""", "Records[0].eventName is not a string")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put"}]}""", "Records[0].s3 missing")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":[]}]}""", "Records[0].s3 is not an object")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"k"}}}]}""", "Records[0].s3.bucket missing")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{},"object":{"key":"k"}}}]}""", "Records[0].s3.bucket.name missing")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":""},"object":{"key":"k"}}}]}""", "Records[0].s3.bucket.name is empty")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"}}}]}""", "Records[0].s3.object missing")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":null}}}]}""", "Records[0].s3.object.key missing")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k","size":"12"}}}]}""", "Records[0].s3.object.size is not a non-negative integer")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k","size":-1}}}]}""", "Records[0].s3.object.size is not a non-negative integer")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k","size":1.5}}}]}""", "Records[0].s3.object.size is not a non-negative integer")]
    [InlineData("""{"Records":[{"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{}}}]}""", "Records[0].s3.object.key missing")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}},{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"}}}]}""", "Records[1].s3.object missing")]
    [InlineData("""{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b\ud800"},"object":{"key":"k"}}}]}""", "Records[0].s3.bucket.name is not valid text")]
    [InlineData("""{"Records":[{"eventID":"e1","eventName":"AssumeRole","eventSource":"sts.amazonaws.com"}]}""", "Records[0].s3 missing")]
    public void Parse_S3EventMissingOrWrongField_UnknownNamingTheField(string body, string error)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Empty(parsed.Objects);
        Assert.Equal(error, parsed.Error);
    }

    [Theory]
    [InlineData("""{"s3Bucket":"b"}""", "s3ObjectKey missing")]
    [InlineData("""{"s3Bucket":"","s3ObjectKey":["k"]}""", "s3Bucket is empty")]
    [InlineData("""{"s3Bucket":["b"],"s3ObjectKey":["k"]}""", "s3Bucket is not a string")]
    [InlineData("""{"s3Bucket":"b","s3ObjectKey":"k"}""", "s3ObjectKey is not an array")]
    [InlineData("""{"s3Bucket":"b","s3ObjectKey":["k",3]}""", "s3ObjectKey[1] is not a string")]
    [InlineData("""{"s3Bucket":"b","s3ObjectKey":[""]}""", "s3ObjectKey[0] is empty")]
    [InlineData("""{"detail":{}}""", "source missing")]
    [InlineData("""{"source":"aws.s3","detail":{}}""", "detail-type missing")]
    [InlineData("""{"source":"aws.s3","detail-type":"Object Created","detail":"x"}""", "detail is not an object")]
    [InlineData("""{"source":"aws.s3","detail-type":"Object Created","detail":{"object":{"key":"k"}}}""", "detail.bucket missing")]
    [InlineData("""{"source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"b"},"object":{}}}""", "detail.object.key missing")]
    [InlineData("""{"source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"b"},"object":{"key":"k","size":true}}}""", "detail.object.size is not a non-negative integer")]
    [InlineData("""{"Event":null}""", "Event is not s3:TestEvent")]
    public void Parse_OtherShapeMissingOrWrongField_UnknownNamingTheField(string body, string error)
    {
        var parsed = NotificationParser.Parse(body);

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Equal(error, parsed.Error);
    }

    [Fact]
    public void Parse_CloudTrailDeliveryWithNoKeys_RecognisedWithNothing()
    {
        var parsed = NotificationParser.Parse("""{"s3Bucket":"b","s3ObjectKey":[]}""");

        Assert.Equal(NotificationKind.CloudTrailDelivery, parsed.Kind);
        Assert.Empty(parsed.Objects);
    }

    [Fact]
    public void Parse_DeeplyNested_NotJsonInsteadOfThrowing()
    {
        var body = "{\"Records\":" + new string('[', 200) + new string(']', 200) + "}";

        var parsed = NotificationParser.Parse(body);

        Assert.StartsWith("not JSON: ", parsed.Error, StringComparison.Ordinal);
    }
}
