using System.IO.Compression;
using System.Text;

namespace TrailSieve.Analytics.Tests.TestSupport;

/// <summary>A temporary folder deleted at the end of a test, with helpers to write CloudTrail files into it.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("trailsieve-analytics-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <c>{"Records":[...]}</c> gzip at <paramref name="relative"/>; returns the full path.</summary>
    public string WriteRecords(string relative, params string[] records) =>
        WriteGzip(relative, "{\"Records\":[" + string.Join(",", records) + "]}");

    public string WriteGzip(string relative, string text)
    {
        var path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>A CloudTrail record with the fields the tests look at.</summary>
    public static string Record(
        string eventName,
        string eventTime = "2026-10-01T12:00:00Z",
        string account = "111122223333",
        string region = "eu-west-1",
        string source = "ec2.amazonaws.com",
        string? errorCode = null,
        string user = "alice",
        string ip = "198.51.100.7",
        bool readOnly = true) =>
        $$"""{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDA1","arn":"arn:aws:iam::{{account}}:user/{{user}}","accountId":"{{account}}","userName":"{{user}}"},"eventTime":"{{eventTime}}","eventSource":"{{source}}","eventName":"{{eventName}}","awsRegion":"{{region}}","sourceIPAddress":"{{ip}}","userAgent":"aws-cli/2","requestParameters":{"n":1}{{(errorCode is null ? "" : $",\"errorCode\":\"{errorCode}\"")}},"responseElements":null,"eventID":"{{Guid.NewGuid()}}","readOnly":{{(readOnly ? "true" : "false")}},"eventType":"AwsApiCall","recipientAccountId":"{{account}}"}""";
}
