using TrailSieve.Core.Notifications;
using static TrailSieve.Core.Tests.Notifications.NotificationFixtures;

namespace TrailSieve.Core.Tests.Notifications;

public class NotificationParserS3EventTests
{
    [Fact]
    public void Parse_S3Put_OneObjectWithSize()
    {
        // Given the documented S3 event notification for one PUT

        // When
        var parsed = NotificationParser.Parse(S3Put);

        // Then
        Assert.Equal(NotificationKind.S3Event, parsed.Kind);
        Assert.True(parsed.IsRecognised);
        Assert.False(parsed.SnsWrapped);
        Assert.Null(parsed.Error);
        Assert.Equal(0, parsed.IgnoredEvents);
        Assert.Equal([new ObjectRef(Bucket, LogKey, 4096)], parsed.Objects);
    }

    [Fact]
    public void Parse_SeveralCreatedRecords_OneObjectEach()
    {
        // Given three records, one of each ObjectCreated flavour, in two buckets
        var body = S3Event(
            S3Record("ObjectCreated:Put", "a.json.gz", 1),
            S3Record("ObjectCreated:CompleteMultipartUpload", "b.json.gz", 2),
            S3Record("ObjectCreated:Copy", "a.json.gz", 3, bucket: "other-bucket"));

        // When
        var parsed = NotificationParser.Parse(body);

        // Then all three, in order
        Assert.Equal(
            [new ObjectRef(Bucket, "a.json.gz", 1), new ObjectRef(Bucket, "b.json.gz", 2), new ObjectRef("other-bucket", "a.json.gz", 3)],
            parsed.Objects);
    }

    [Fact]
    public void Parse_ObjectRemovedAmongCreated_RemovedCountedAsIgnored()
    {
        // Given a created record between two removal records
        var body = S3Event(
            S3Record("ObjectRemoved:Delete", "gone.json.gz"),
            S3Record("ObjectCreated:Post", "new.json.gz", 10),
            S3Record("ObjectRemoved:DeleteMarkerCreated", "gone2.json.gz"));

        // When
        var parsed = NotificationParser.Parse(body);

        // Then the removals are ignored, not errors
        Assert.Equal(NotificationKind.S3Event, parsed.Kind);
        Assert.Null(parsed.Error);
        Assert.Equal(2, parsed.IgnoredEvents);
        Assert.Equal([new ObjectRef(Bucket, "new.json.gz", 10)], parsed.Objects);
    }

    [Fact]
    public void Parse_OnlyObjectRemoved_RecognisedWithNoObjects()
    {
        var parsed = NotificationParser.Parse(S3Event(S3Record("ObjectRemoved:Delete", "gone.json.gz")));

        Assert.True(parsed.IsRecognised);
        Assert.Empty(parsed.Objects);
        Assert.Equal(1, parsed.IgnoredEvents);
    }

    [Fact]
    public void Parse_DuplicateRecords_ObjectKeptOnce()
    {
        // Given the same object twice (once encoded differently) and another one
        var body = S3Event(
            S3Record("ObjectCreated:Put", "dir/a+b.json.gz", 5),
            S3Record("ObjectCreated:Put", "other.json.gz", 6),
            S3Record("ObjectCreated:Put", "dir%2Fa%20b.json.gz", 5));

        // When
        var parsed = NotificationParser.Parse(body);

        // Then the first occurrence is kept, in place
        Assert.Equal([new ObjectRef(Bucket, "dir/a b.json.gz", 5), new ObjectRef(Bucket, "other.json.gz", 6)], parsed.Objects);
    }

    [Fact]
    public void Parse_EncodedCloudTrailKey_Decoded()
    {
        // Given a key with a space (sent as '+') and '=' (sent as %3D)
        var body = S3Event(S3Record("ObjectCreated:Put", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/01/a+b%3Dc.json.gz"));

        // When
        var parsed = NotificationParser.Parse(body);

        // Then
        Assert.Equal("AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/01/a b=c.json.gz", Assert.Single(parsed.Objects).Key);
    }

    [Theory]
    [InlineData("logs/%C3%A9t%C3%A9+2026.json.gz", "logs/été 2026.json.gz")]
    [InlineData("logs/%E6%97%A5%E5%BF%97.json.gz", "logs/日志.json.gz")]
    [InlineData("logs/%F0%9F%93%9C.json.gz", "logs/📜.json.gz")]
    [InlineData("logs/%2B1%25.json.gz", "logs/+1%.json.gz")]
    public void Parse_EncodedUnicodeKey_DecodedAsUtf8(string encoded, string expected)
    {
        var parsed = NotificationParser.Parse(S3Event(S3Record("ObjectCreated:Put", encoded)));

        Assert.Equal(expected, Assert.Single(parsed.Objects).Key);
    }

    [Fact]
    public void Parse_UnicodeKeySentUnescaped_KeptAsIs()
    {
        // Given a key whose non-ASCII characters arrive as JSON text rather than %XX
        var parsed = NotificationParser.Parse(S3Event(S3Record("ObjectCreated:Put", "logs/été/日志.json.gz")));

        Assert.Equal("logs/été/日志.json.gz", Assert.Single(parsed.Objects).Key);
    }

    [Theory]
    [InlineData("a%3.json.gz")]
    [InlineData("a%zz.json.gz")]
    [InlineData("a.json.gz%")]
    [InlineData("a%C3.json.gz")]
    [InlineData("a%FF%FE.json.gz")]
    public void Parse_InvalidEscapeInKey_ErrorNamingTheField(string encoded)
    {
        var parsed = NotificationParser.Parse(S3Event(S3Record("ObjectCreated:Put", "ok.json.gz"), S3Record("ObjectCreated:Put", encoded)));

        Assert.Equal(NotificationKind.Unknown, parsed.Kind);
        Assert.Empty(parsed.Objects);
        Assert.StartsWith("Records[1].s3.object.key: ", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MinioStyleEventName_Created()
    {
        // Given the "s3:" prefixed event name S3-compatible servers send
        var parsed = NotificationParser.Parse(S3Event(S3Record("s3:ObjectCreated:Put", "a.json.gz")));

        Assert.Equal("a.json.gz", Assert.Single(parsed.Objects).Key);
    }

    [Fact]
    public void Parse_SizeMissing_NullSize()
    {
        var body = """{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}""";

        var parsed = NotificationParser.Parse(body);

        Assert.Equal([new ObjectRef("b", "k", null)], parsed.Objects);
    }

    [Fact]
    public void Parse_EmptyRecords_RecognisedWithNothing()
    {
        var parsed = NotificationParser.Parse("""{"Records":[]}""");

        Assert.Equal(NotificationKind.S3Event, parsed.Kind);
        Assert.Empty(parsed.Objects);
        Assert.Equal(0, parsed.IgnoredEvents);
    }
}
