using System.Buffers;
using System.Text;
using System.Text.Json;
using TrailSieve.Core.Detections;

namespace TrailSieve.Core.Tests.Detections;

public sealed class FindingWriterTests
{
    private static readonly Detection s_detection = new("Root account usage", Severity.High, "Root made a call", null, "threats.yaml");

    private static string Write(string record, ThresholdWindow? window = null, Detection? detection = null)
    {
        var output = new ArrayBufferWriter<byte>();
        FindingWriter.Write(output, Encoding.UTF8.GetBytes(record), detection ?? s_detection, "s3://trail/AWSLogs/x.json.gz", window);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Write_CompactRecord_OneLineWithKeyFieldsAndTheRecordsExactBytes()
    {
        // Given a compact record with escapes and non-ASCII text in its strings
        const string record = """{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"eventTime":"2026-03-01T12:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","userAgent":"a \"quoted\" agent \u00e9 ü","eventID":"0f-1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}""";

        // When its finding is written
        var line = Write(record);

        // Then it is one line holding the record's bytes exactly, and the key fields
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line[..^1]);
        Assert.Contains(",\"record\":" + record + "}", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(FindingWriter.Keys.Where(k => k is not ("threshold" or "sigma")), root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Root account usage", root.GetProperty("detection").GetString());
        Assert.Equal("high", root.GetProperty("severity").GetString());
        Assert.Equal("Root made a call", root.GetProperty("description").GetString());
        Assert.Equal("0f-1", root.GetProperty("eventID").GetString());
        Assert.Equal("2026-03-01T12:00:00Z", root.GetProperty("eventTime").GetString());
        Assert.Equal("CreateUser", root.GetProperty("eventName").GetString());
        Assert.Equal("iam.amazonaws.com", root.GetProperty("eventSource").GetString());
        Assert.Equal("us-east-1", root.GetProperty("awsRegion").GetString());
        Assert.Equal("111122223333", root.GetProperty("recipientAccountId").GetString());
        Assert.Equal("arn:aws:iam::111122223333:root", root.GetProperty("principal").GetString());
        Assert.Equal("198.51.100.1", root.GetProperty("sourceIPAddress").GetString());
        Assert.Equal("s3://trail/AWSLogs/x.json.gz", root.GetProperty("source").GetString());
    }

    [Fact]
    public void Write_PrettyPrintedRecord_LosesOnlyTheWhitespaceBetweenTokens()
    {
        // Given a record printed over several lines, with whitespace inside its strings
        const string record = "{\n  \"eventName\" : \"Console Login\",\r\n\t\"requestParameters\": { \"policy\": \"{\\n  \\\"a\\\" : 1 }\", \"list\": [ 1 , 2 ] },\n  \"eventID\": \"e 1\"\n}\n";

        // When its finding is written
        var line = Write(record);

        // Then the record is compact, its strings untouched, and the finding is one line
        Assert.DoesNotContain('\n', line[..^1]);
        Assert.Contains("\"record\":{\"eventName\":\"Console Login\",\"requestParameters\":{\"policy\":\"{\\n  \\\"a\\\" : 1 }\",\"list\":[1,2]},\"eventID\":\"e 1\"}}", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line);
        Assert.Equal("{\n  \"a\" : 1 }", json.RootElement.GetProperty("record").GetProperty("requestParameters").GetProperty("policy").GetString());
    }

    [Theory]
    [InlineData("""{"userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}}""", "AWSService")]
    [InlineData("""{"userIdentity":{"type":"FederatedUser","principalId":"111122223333:bob"}}""", "FederatedUser:111122223333:bob")]
    [InlineData("""{"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/x","principalId":"AIDA"}}""", "arn:aws:iam::1:user/x")]
    [InlineData("""{"eventName":"x"}""", null)]
    public void Write_Principal_IsTheArnElseTypeAndPrincipalId(string record, string? expected)
    {
        // Given a record with some identity
        // When its finding is written
        using var json = JsonDocument.Parse(Write(record));

        // Then principal is the ARN, else type:principalId, else null
        var principal = json.RootElement.GetProperty("principal");
        Assert.Equal(expected, principal.ValueKind == JsonValueKind.Null ? null : principal.GetString());
    }

    [Fact]
    public void Write_MissingFields_AreNull()
    {
        // Given a record with none of the key fields
        // When its finding is written
        using var json = JsonDocument.Parse(Write("""{"other":1}"""));

        // Then they are null, not absent
        foreach (var key in new[] { "eventID", "eventTime", "eventName", "eventSource", "awsRegion", "recipientAccountId", "sourceIPAddress" })
        {
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty(key).ValueKind);
        }
    }

    [Fact]
    public void Write_Threshold_AddsGroupCountAndWindow()
    {
        // Given a threshold finding
        var window = new ThresholdWindow("198.51.100.7", 5, TimeSpan.FromMinutes(5), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 12, 2, 30, 500, TimeSpan.Zero));

        // When it is written
        using var json = JsonDocument.Parse(Write("""{"eventName":"ConsoleLogin"}""", window));

        // Then the threshold object carries the group, count, window and the first and last hit times
        var threshold = json.RootElement.GetProperty("threshold");
        Assert.Equal("198.51.100.7", threshold.GetProperty("group").GetString());
        Assert.Equal(5, threshold.GetProperty("count").GetInt32());
        Assert.Equal("00:05:00", threshold.GetProperty("window").GetString());
        Assert.Equal("2026-03-01T12:00:00Z", threshold.GetProperty("windowStart").GetString());
        Assert.Equal("2026-03-01T12:02:30.5Z", threshold.GetProperty("windowEnd").GetString());
    }

    [Theory]
    [InlineData("{ \"a\" : \"x y\" }", "{\"a\":\"x y\"}")]
    [InlineData("{\"a\":\"ends with a backslash \\\\\", \"b\" : 1}", "{\"a\":\"ends with a backslash \\\\\",\"b\":1}")]
    [InlineData("{\"a\":\"quote \\\" inside , \"}", "{\"a\":\"quote \\\" inside , \"}")]
    [InlineData("[ 1 ,\r\n\t2 , { } , [ ] , \"\" ]", "[1,2,{},[],\"\"]")]
    [InlineData("{\"k\":\"\\u0020 tab\\t\"}", "{\"k\":\"\\u0020 tab\\t\"}")]
    public void Compact_RemovesOnlyWhitespaceBetweenTokens(string json, string expected)
    {
        // Given JSON with whitespace between tokens and inside strings, escapes included
        var bytes = Encoding.UTF8.GetBytes(json);
        var destination = new byte[bytes.Length];

        // When it is compacted
        var length = FindingWriter.Compact(bytes, destination);

        // Then only the whitespace outside strings is gone
        Assert.Equal(expected, Encoding.UTF8.GetString(destination, 0, length));
    }
    [Fact]
    public void Write_SigmaDetectionTwice_SameEscapedTextEachTime()
    {
        // Given a Sigma detection whose texts need escaping (quotes, a newline, a backslash, non-ASCII)
        var detection = new Detection(
            "Rule \"x\"", Severity.Medium, "line one\nline \\two é", null, "r.yml",
            new SigmaInfo("5f0c2c1e-0000-4000-8000-000000000009", "Rule \"x\"", "medium", ["attack.t1078"], ["admins \"testing\""], "test"));
        const string record = """{"eventID":"e-1","eventTime":"2026-03-01T12:00:00Z","eventName":"X"}""";

        // When two findings of it are written (the second from the detection's encoded texts)
        var first = Write(record, detection: detection);
        var second = Write(record, detection: detection);

        // Then both lines are the same and read back as the detection's texts
        Assert.Equal(first, second);
        using var json = JsonDocument.Parse(second);
        var root = json.RootElement;
        Assert.Equal("Rule \"x\"", root.GetProperty("detection").GetString());
        Assert.Equal("line one\nline \\two é", root.GetProperty("description").GetString());
        var sigma = root.GetProperty("sigma");
        Assert.Equal("5f0c2c1e-0000-4000-8000-000000000009", sigma.GetProperty("id").GetString());
        Assert.Equal("test", sigma.GetProperty("status").GetString());
        Assert.Equal(["attack.t1078"], sigma.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["admins \"testing\""], sigma.GetProperty("falsepositives").EnumerateArray().Select(t => t.GetString()));
        Assert.False(sigma.TryGetProperty("correlation", out _));
    }
}
