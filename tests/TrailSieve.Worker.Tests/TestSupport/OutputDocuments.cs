using System.Text;
using System.Text.Json;

namespace TrailSieve.Worker.Tests.TestSupport;

internal static class OutputDocuments
{
    /// <summary>Parses a whole {"Records":[...]} document (failing the test if it is not one) and returns each record's raw text.</summary>
    public static IReadOnlyList<string> Records(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        Assert.Single(document.RootElement.EnumerateObject());
        return document.RootElement.GetProperty("Records").EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    public static string Document(IEnumerable<string> records) => "{\"Records\":[" + string.Join(",", records) + "]}";

    public static string Record(string eventName, string eventSource = "ec2.amazonaws.com", string account = "111122223333", string region = "us-east-1", string time = "2026-01-02T03:04:05Z", int id = 0) =>
        $"{{\"eventVersion\":\"1.09\",\"eventTime\":\"{time}\",\"eventSource\":\"{eventSource}\",\"eventName\":\"{eventName}\",\"awsRegion\":\"{region}\",\"eventID\":\"{id}\",\"recipientAccountId\":\"{account}\"}}";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
